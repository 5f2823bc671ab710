// The Gradio edition's glue: what its browser-only events call (gandemo/ui builds each as a one-line `js`
// handler that imports this module and calls one function; Gradio awaits the Promise and puts the result into
// the event's outputs). Mounting a view, pushing controls' values to it, the seed's box, slider and Random, the
// address bar, and the Playground's buttons and rules. It reaches the views through widgets/view.js, whose
// state it shares (one module per URL).

import { command as viewCommand, pageSite, slot } from "../widgets/view.js";

/**
 * Mount `web/widgets/<props.widget>.js` into a gr.HTML's element (its js_on_load); `server` holds the
 * component's server functions, `props.fallback` names the one that draws the view when the browser cannot.
 */
export function mount(el, props, server) {
  pageSite(props.site);
  el.dataset.web = props.site.web; // (where tests find widgets/testing.js)
  const call =
    server && props.fallback
      ? async (values) => {
          const answer = await server[props.fallback](values); // (a failed call resolves to nothing)
          if (answer == null) throw new Error("the server could not draw this view; please try again");
          if (answer.error) throw new Error(answer.error);
          return answer;
        }
      : null;
  return import(props.site.web + "widgets/" + props.widget + ".js").then(
    (module) => module.default.render({ el, props: { site: props.site, id: props.view, server: call } }),
    (error) => {
      el.textContent = `This view could not load its browser code (${error.message}).`;
    },
  );
}

/** Hand the inputs' values to view `id` (no request). */
export function push(id, ...values) {
  slot(id).update(values);
}

/** Hand a button press (and its value, if any) to view `id`, queued until the view has loaded. */
export function command(id, name, value) {
  viewCommand(id, name, value);
}

/** A seed's slider moved: the box's text. */
export function seedText(value) {
  return String(value);
}

/** A seed's box changed (typed, or restored from a link): where its slider goes, when the seed is in range. */
export function seedBrowse(max, text, shown) {
  return /^\s*[0-9]{1,3}\s*$/.test(String(text)) && Number(text) <= max ? Number(text) : shown;
}

/** Random: a seed in the slider's range (so box and slider agree), from the browser's cryptographic generator. */
export function randomSeed(max) {
  return String(crypto.getRandomValues(new Uint32Array(1))[0] % (max + 1));
}

let linkRead = false; // (until the page has read the link it was opened with, the address stays as it came)

/** Put the tab and its values (`keys`, in order) into the address bar, without reloading; the link, for the
 * link box. `values` ends with the link box's own value, kept until the page has read its link. */
export function link(tab, keys, ...values) {
  const shown = values.pop();
  if (!linkRead) return shown;
  const params = new URLSearchParams();
  params.set("tab", tab);
  keys.forEach((key, i) => {
    const v = values[i];
    if (v !== null && v !== undefined && v !== "") params.set(key, String(v));
  });
  const address = location.origin + location.pathname + "?" + params.toString();
  history.replaceState(history.state, "", address);
  return address;
}

/** The page has read its link: from now on the address follows the controls. */
export function linkReady() {
  linkRead = true;
  return location.href;
}

/** A preset chosen: its settings (in `keys` order) and its note into the controls, and view `id` starts it. */
export function preset(id, keys, name) {
  const chosen = pageSite().playground.presets[name];
  if (!chosen) return undefined;
  viewCommand(id, "preset", name);
  return [...keys.map((key) => chosen.settings[key]), presetNote(name)];
}

/** A preset's note (Markdown), or nothing. */
export function presetNote(name) {
  const chosen = pageSite().playground.presets[name];
  return chosen ? `**${name}.** ${chosen.explanation}` : "";
}

/** An objective's customary critic steps (5 for WGAN-GP, else 1). */
export function criticSteps(objective) {
  return pageSite().playground.objectives[objective]?.critic_steps ?? 1;
}

/** The target menu follows the visitor's points (they are "your points"; cleared, the default again). */
export function targetOfPoints(points, target) {
  const { your_points: own, default: first } = pageSite().playground.targets;
  return points ? own : target === own ? first : target;
}

/** Choosing another target drops the visitor's points. */
export function pointsOfTarget(target, points) {
  return target === pageSite().playground.targets.your_points ? points : "";
}
