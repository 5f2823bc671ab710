// The static edition's page (python -m gandemo.static): the app's tabs and controls, built from the page's
// description (gandemo/static.py writes it into index.html), feeding the same widgets the Gradio app mounts
// (web/widgets) through the same slots; links (?tab=...&seed=...) read and written as the app does, each
// value checked with the app's sentences (runtime/check.js). Nothing here talks to a server but this one.

import * as check from "../runtime/check.js";
import { pointsLinkText, readLinkPoints } from "../runtime/targets.js";
import * as rules from "../front/rules.js";
import { command, element, pageSite, slot } from "../widgets/view.js";

const page = JSON.parse(document.getElementById("gandemo-page").textContent);
const here = (url) => (url == null ? url : new URL(url, document.baseURI).href); // (the worker needs full URLs)
const site = page.site;
site.web = here(site.web);
site.vendor = here(site.vendor);
for (const model of Object.values(site.models)) {
  for (const key of ["config", "weights", "critic_map", "discriminator"]) model[key] = here(model[key]);
}
pageSite(site);

// ---- formulas: KaTeX, as MathML (loaded once, when a text with a formula is first shown)
let katex = null;
function renderMath(root) {
  const spans = [...root.querySelectorAll(".gd-math:not([data-rendered])")];
  if (!spans.length) return;
  katex ||= new Promise((resolve, reject) => {
    const script = element("script", { src: here(page.katex) });
    script.onload = () => resolve(globalThis.katex);
    script.onerror = () => reject(new Error("could not load KaTeX"));
    document.head.append(script);
  });
  katex.then(
    (tex) => {
      for (const span of spans) {
        tex.render(span.textContent, span, {
          displayMode: span.dataset.display === "true",
          output: "mathml",
          throwOnError: false,
        });
        span.dataset.rendered = "1";
      }
    },
    () => {}, // (the formula stays readable as its TeX)
  );
}

function showHTML(node, markup) {
  node.innerHTML = markup; // (written by gandemo.static from our own Markdown, raw HTML escaped)
  renderMath(node);
}

// ---- controls: each has a key, an element, get() and set(value), and calls back on change
/** A seed box's text: the seed by the one rule (check.seed), or the text itself for the view to name. */
const seedValue = (text) => {
  const t = String(text ?? "").trim();
  if (t === "") return null;
  try {
    return check.seed(t);
  } catch {
    return t;
  }
};

function labelled(spec, body) {
  const box = element("div", { class: "gd-control", id: `${spec.tab}-${spec.key}` });
  box.append(element("span", { class: "gd-label" }, spec.label ?? spec.setting.label));
  if (spec.info) box.append(element("span", { class: "gd-info" }, spec.info));
  box.append(body);
  return box;
}

/** A control of the page for `spec` (from gandemo/static.py), calling `changed("input")` when the visitor moves
 * it: { el, get, set }. One builder a kind. */
function control(spec, changed) {
  const name = `${spec.tab}-${spec.key}-input`;
  const kind = spec.kind in CONTROLS ? spec.kind : "setting";
  return CONTROLS[kind](spec, changed, name);
}

/** A choice shown as radio buttons. */
function radioControl(spec, changed, name) {
  const body = element("div", { class: "gd-choices", role: "radiogroup", "aria-label": spec.label });
  const inputs = spec.options.map((option) => {
    const input = element("input", { type: "radio", name, value: option });
    const label = element("label");
    label.append(input, ` ${option}`);
    body.append(label);
    input.addEventListener("change", () => changed("input"));
    return input;
  });
  return {
    el: labelled(spec, body),
    get: () => inputs.find((i) => i.checked)?.value ?? null,
    set: (v) => inputs.forEach((i) => (i.checked = i.value === v)),
  };
}

/** A choice shown as a menu. */
function choiceControl(spec, changed, name) {
  const select = element("select", { id: name, "aria-label": spec.label });
  if (spec.value === null) select.append(element("option", { value: "" }, "choose…"));
  for (const option of spec.options) select.append(element("option", { value: option }, option));
  select.addEventListener("change", () => changed("input"));
  return { el: labelled(spec, select), get: () => select.value || null, set: (v) => (select.value = v ?? "") };
}

/** The Playground's own points, as a link holds them (gandemo/core/targets.py link_text): the view writes them. */
function pointsControl(spec, changed, name) {
  const input = element("input", { type: "hidden", id: name });
  return { el: element("div", { hidden: "" }), get: () => input.value, set: (v) => (input.value = v ?? "") };
}

/** A checkbox. */
function checkboxControl(spec, changed, name) {
  const input = element("input", { type: "checkbox", id: name });
  const label = element("label", { for: name }, ` ${spec.label}`);
  const box = element("div", { class: "gd-control" });
  box.append(input, label);
  if (spec.info) box.append(element("span", { class: "gd-info" }, spec.info));
  input.addEventListener("change", () => changed("input"));
  return { el: box, get: () => input.checked, set: (v) => (input.checked = Boolean(v)) };
}

/** A seed: its text box (any seed, exactly), a slider to browse and Random, kept in step. */
function seedControl(spec, changed, name) {
  const box = element("input", {
    type: "text",
    id: name,
    "aria-label": spec.label,
    inputmode: "numeric",
    autocomplete: "off",
  });
  const browse = element("input", {
    type: "range",
    min: "0",
    max: String(spec.browse_max),
    step: "1",
    "aria-label": `${spec.label} (browse)`,
  });
  const dice = element("button", { type: "button", class: "gd-button" }, "Random");
  const body = element("div", { class: "gd-seed" });
  body.append(box, browse, dice);
  const follow = () => {
    const v = seedValue(box.value);
    if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= spec.browse_max) browse.value = String(v);
  };
  box.addEventListener("input", () => (follow(), changed("input")));
  browse.addEventListener("input", () => ((box.value = browse.value), changed("input")));
  dice.addEventListener("click", () => {
    box.value = String(crypto.getRandomValues(new Uint32Array(1))[0] % (spec.browse_max + 1)); // (the slider's range, as the app's)
    follow();
    changed("input");
  });
  return { el: labelled(spec, body), get: () => seedValue(box.value), set: (v) => ((box.value = String(v)), follow()) };
}

/** A setting of gandemo/core/settings.py: a slider with its number box, or a number box alone. */
function settingControl(spec, changed, name) {
  const s = spec.setting;
  const number = element("input", {
    type: "number",
    id: name,
    "aria-label": s.label,
    min: String(s.low),
    max: String(s.high),
    step: s.step ? String(s.step) : "any",
  });
  const read = () => (number.value.trim() === "" ? null : Number(number.value));
  if (spec.kind === "number") {
    number.addEventListener("input", () => changed("input"));
    return { el: labelled(spec, number), get: read, set: (v) => (number.value = String(v)) };
  }
  const range = element("input", {
    type: "range",
    min: String(s.low),
    max: String(s.high),
    step: String(s.step || "any"),
    "aria-label": `${s.label} (slider)`,
  });
  const body = element("div", { class: "gd-slider" });
  body.append(range, number);
  range.addEventListener("input", () => ((number.value = range.value), changed("input")));
  number.addEventListener("input", () => ((range.value = number.value), changed("input")));
  return {
    el: labelled(spec, body),
    get: read,
    set: (v) => {
      number.value = String(v);
      range.value = String(v);
    },
  };
}

const CONTROLS = {
  radio: radioControl,
  choice: choiceControl,
  points: pointsControl,
  checkbox: checkboxControl,
  seed: seedControl,
  setting: settingControl,
};

/** A link's text for one control, read as the app's server reads it (the same checks and sentences). */
function readLinked(spec, text) {
  const name = spec.name ?? spec.label;
  if (spec.kind === "choice" || spec.kind === "radio") return check.choice(text, name, spec.options);
  if (spec.kind === "seed") return check.seed(text, name);
  if (spec.kind === "points")
    return pointsLinkText(readLinkPoints(text, site.playground.targets), site.playground.targets);
  return check.setting(text, spec.setting);
}

// ---- tabs
const tabs = new Map(); // id -> { spec, button, panel, controls, dirty, push, changed, refresh }
let open = null;

function writeLink() {
  if (!open) return;
  const tab = tabs.get(open);
  const params = new URLSearchParams({ tab: open });
  for (const key of tab.spec.link) {
    const v = tab.controls[key].get();
    if (v !== null && v !== undefined && v !== "") params.set(key, String(v));
  }
  const link = location.origin + location.pathname + "?" + params.toString();
  history.replaceState(history.state, "", link);
  /** @type {HTMLInputElement} */ (document.getElementById("view-link")).value = link;
}

function select(id) {
  open = id;
  for (const [other, tab] of tabs) {
    tab.button.setAttribute("aria-selected", String(other === id));
    tab.button.tabIndex = other === id ? 0 : -1;
    tab.panel.hidden = other !== id;
  }
  const tab = tabs.get(id);
  if (tab.dirty) tab.push();
  writeLink();
}

function buildTab(spec) {
  const button = element(
    "button",
    { role: "tab", id: `tab-${spec.id}`, "aria-controls": `panel-${spec.id}`, type: "button" },
    spec.title,
  );
  const panel = element("section", { role: "tabpanel", id: `panel-${spec.id}`, "aria-labelledby": `tab-${spec.id}` });
  const tab = { spec, button, panel, controls: {}, dirty: true, push: () => {}, refresh: [] };
  tab.changed = () => {
    for (const refresh of tab.refresh) refresh();
    if (open === spec.id) tab.push();
    else tab.dirty = true;
    writeLink();
  };
  for (const c of spec.controls) {
    const made = control({ ...c, tab: spec.id }, tab.changed);
    made.set(c.value);
    made.spec = c;
    tab.controls[c.key] = made;
  }
  if (spec.intro) {
    const intro = element("div", { class: "gd-intro" });
    showHTML(intro, spec.intro);
    panel.append(intro);
  }
  tabs.set(spec.id, tab);
  button.addEventListener("click", () => select(spec.id));
  document.getElementById("tabs").append(button);
  document.getElementById("panels").append(panel);
  return tab;
}

/** Mount the tab's view (web/widgets/<widget>.js) into `container`; the tab pushes its controls' values to it. */
function mountView(tab, container) {
  const { view } = tab.spec;
  const el = element("div", { id: view.id, class: "gd-view", "data-web": site.web }); // (data-web: testing.js)
  container.append(el);
  import(site.web + "widgets/" + view.widget + ".js").then(
    (module) =>
      module.default.render({ el, props: { site, id: view.id, server: null, html: showHTML, ...view.props } }),
    (error) => (el.textContent = `This view could not load its browser code (${error.message}).`),
  );
  tab.push = () => {
    tab.dirty = false;
    slot(view.id).update(view.values.map((key) => tab.controls[key].get()));
  };
}

/** A tab's buttons (the Playground's Play, Step...): each a command to its view. */
function buttonsOf(tab) {
  const buttons = element("div", { class: "gd-buttons", id: `${tab.spec.id}-buttons` });
  for (const name of tab.spec.buttons) {
    const primary = name === tab.spec.buttons[0] ? " gd-primary" : "";
    const id = (tab.spec.button_prefix || "") + name.toLowerCase();
    const button = element("button", { type: "button", id, class: `gd-button${primary}` }, name);
    button.addEventListener("click", () => command(tab.spec.view.id, name.toLowerCase()));
    buttons.append(button);
  }
  return buttons;
}

/** Download what the view drew (its visible canvas) as a PNG named from the controls' values. */
function downloadOf(tab, shown) {
  const { label, name } = tab.spec.download;
  const save = element("button", { type: "button", class: "gd-button", id: "download-frames" }, label);
  save.addEventListener("click", () => {
    const canvas = shown.querySelector("canvas:not([hidden])");
    if (!canvas) return;
    const file = name.map((part) => (tab.controls[part] ? tab.controls[part].get() : part)).join("-");
    element("a", { href: canvas.toDataURL("image/png"), download: `${file}.png` }).click();
  });
  return save;
}

/** Every tab's layout: its controls beside its view (above it, for a tab with one control; none: the view alone,
 * the page's whole width), then its rules. */
function layOut(tab) {
  const { spec, panel, controls } = tab;
  const columns = element("div", { class: `gd-columns${spec.stage ? " gd-stage" : ""}` }); // (gd-stage: views.css)
  const left = element("div", { class: "gd-controls" });
  const right = element("div", { class: "gd-shown" });
  for (const c of spec.controls) left.append(controls[c.key].el);
  if (spec.controls.length === 1) panel.append(left);
  else if (spec.controls.length > 1) columns.append(left);
  if (spec.buttons) right.append(buttonsOf(tab));
  columns.append(right);
  panel.append(columns);
  if (spec.view) mountView(tab, right);
  if (spec.download) right.append(downloadOf(tab, right));
  for (const rule of spec.rules) tab.refresh.push(RULES[rule.rule](tab, rule) ?? (() => {}));
  for (const refresh of tab.refresh) refresh();
}

// ---- the rules a tab's description names (what each means: web/front/rules.js); each returns what to redo
// when the tab's controls change
const RULES = {
  conditional(tab, { control, model }) {
    return () => (tab.controls[control].el.hidden = !rules.conditional(site, tab.controls[model].get()));
  },
  about(tab, rule) {
    const shown = element("div", { class: "gd-about" });
    tab.panel.append(shown);
    return () => showHTML(shown, rules.about(rule, tab.controls[rule.model].get()));
  },
  preset(tab, { control, fills, note, table = "playground" }) {
    const preset = tab.controls[control];
    const said = element("p", { id: note, class: "gd-note" });
    preset.el.after(said);
    const say = () => {
      const shown = rules.presetNote(site, preset.get(), table);
      said.replaceChildren(...(shown ? [element("strong", {}, `${shown.name}. `), shown.explanation] : []));
    };
    // one click: the preset's settings into the controls, its note, and the view starts it playing
    preset.el.addEventListener("change", () => {
      const settings = rules.presetSettings(site, preset.get(), table);
      if (!settings) return;
      command(tab.spec.view.id, "preset", preset.get());
      for (const key of fills) tab.controls[key].set(settings[key]);
      tab.changed(); // (the link and the view take the preset's values)
    });
    return say; // (a link that names a preset shows its note)
  },
  critic_steps(tab, { control, sets }) {
    tab.controls[control].el.addEventListener("change", () => {
      tab.controls[sets].set(rules.criticSteps(site, tab.controls[control].get()));
      tab.changed();
    });
  },
  own_points(tab, { points, target }) {
    const { controls } = tab;
    slot(tab.spec.view.id).write = (key, value) => {
      if (key !== points) return;
      controls[points].set(value);
      controls[target].set(rules.targetOfPoints(site, value, controls[target].get()));
      tab.changed();
    };
    controls[target].el.addEventListener("change", () => {
      const kept = rules.pointsOfTarget(site, controls[target].get(), controls[points].get());
      if (kept === controls[points].get()) return;
      controls[points].set(kept);
      tab.changed();
    });
  },
};

// ---- the page
showHTML(document.getElementById("status"), page.status);
for (const spec of page.tabs) layOut(buildTab(spec));

// a link's tab and values into the controls (a value that cannot be used is named, and the rest applies)
const params = new URLSearchParams(location.search);
let first = page.tabs[0].id;
const problems = [];
if (params.has("tab")) {
  const wanted = params.get("tab");
  if (!tabs.has(wanted))
    problems.push(`this link's tab ${check.shown(wanted)} is not one of ${[...tabs.keys()].join(", ")}`);
  else {
    first = wanted;
    const tab = tabs.get(wanted);
    for (const key of tab.spec.link) {
      if (!params.has(key)) continue;
      try {
        tab.controls[key].set(readLinked(tab.controls[key].spec, params.get(key)));
      } catch (error) {
        problems.push(`this link's ${key}: ${error.message}`);
      }
    }
    for (const refresh of tab.refresh) refresh();
  }
}
const warning = document.getElementById("link-problems");
warning.hidden = !problems.length;
warning.textContent = problems.join("; ");
document
  .getElementById("copy-link")
  .addEventListener("click", () =>
    navigator.clipboard?.writeText(/** @type {HTMLInputElement} */ (document.getElementById("view-link")).value),
  );
select(first);
document.documentElement.dataset.ready = "1";
