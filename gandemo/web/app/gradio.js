// The Gradio edition's glue: what its browser-only events call (gandemo/ui builds each as a one-line `js`
// handler that imports this module and calls one function; Gradio awaits the Promise and puts the result into
// the event's outputs). Mounting a view, pushing controls' values to it, the seed's box, slider and Random, the
// address bar, and the Playground's buttons and rules. It reaches the views through widgets/view.js, whose
// state it shares (one module per URL).

import * as rules from "../front/rules.js";
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
  const calls = Object.fromEntries(
    (props.functions || []).map((name) => [name, (/** @type {any[]} */ ...args) => answerOf(server, name, args)]),
  );
  return import(props.site.web + "widgets/" + props.widget + ".js").then(
    (module) => module.default.render({ el, props: { site: props.site, id: props.view, server: call, calls } }),
    (error) => {
      el.textContent = `This view could not load its browser code (${error.message}).`;
    },
  );
}

/** A server function's answer (errors.page_answers: {error} carries its sentence). */
async function answerOf(server, name, args) {
  const answer = await server[name](...args);
  if (answer == null) throw new Error("the server could not answer; please try again");
  if (answer.error) throw new Error(answer.error);
  return answer;
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

export const { seedBrowse, randomSeed } = rules; // (the seed's box and slider in step; Random)

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

/** The page has read its link: from now on the address follows the controls (and the page says it is ready,
 * data-ready on its root, as the static page does). */
export function linkReady() {
  linkRead = true;
  document.documentElement.dataset.ready = "1";
  return location.href;
}

/** "conditional": a control shown only for a conditional model (a Gradio update of its visibility). */
export function digitShown(model) {
  return { __type__: "update", visible: rules.conditional(pageSite(), model) };
}

let describeTabs = (tabs) => tabs;
/** @type {Promise<any[]>} every tab's description (gandemo/ui/tabs.py), handed over once by describe() */
const described = new Promise((resolve) => (describeTabs = resolve));

/** The tabs' description arrives (the js_on_load of ui/browser.py describe_tabs). */
export function describe(tabs) {
  describeTabs(tabs);
}

/** "about": the model's text under the view of tab `id`. */
export async function aboutText(id, model) {
  const tab = (await described).find((t) => t.id === id);
  const [rule] = tab ? rules.rulesOf(tab, "about") : [];
  return rule ? rules.about(rule, model) : "";
}

/** A model chosen: its digit menu shown or not, and its text (tab `id`'s "conditional" and "about"). */
export async function modelShown(id, model) {
  return [digitShown(model), await aboutText(id, model)];
}

/** "preset": its settings (in `keys` order) and its note into the controls, and view `id` starts it. */
export function preset(id, keys, name) {
  return tablePreset("playground", id, keys, name);
}

/** "preset", of the tab whose presets the site keeps under `table` (the digits tab's: "digits"). */
export function tablePreset(table, id, keys, name) {
  const settings = rules.presetSettings(pageSite(), name, table);
  if (!settings) return undefined;
  viewCommand(id, "preset", name);
  return [...keys.map((key) => settings[key]), tablePresetNote(table, name)];
}

/** "preset": its note, as Markdown (nothing for no preset). */
export function presetNote(name) {
  return tablePresetNote("playground", name);
}

/** "preset": the note of a preset of `table`. */
export function tablePresetNote(table, name) {
  const note = rules.presetNote(pageSite(), name, table);
  return note ? `**${note.name}.** ${note.explanation}` : "";
}

/** "critic_steps": an objective's customary critic steps. */
export function criticSteps(objective) {
  return rules.criticSteps(pageSite(), objective);
}

/** "own_points": the target menu follows the visitor's points. */
export function targetOfPoints(points, target) {
  return rules.targetOfPoints(pageSite(), points, target);
}

/** "own_points": choosing another target drops the visitor's points. */
export function pointsOfTarget(target, points) {
  return rules.pointsOfTarget(pageSite(), target, points);
}
