// What the controls of a tab do to each other, for both editions: each tab's description (gandemo/ui/*.py
// `describe`, handed to the page as JSON) lists its rules by name with their data, and this module says what
// each one means. The static page applies them to its controls (web/static/page.js); the Gradio app calls them
// from one-line event handlers (web/app/gradio.js). Plain functions of values: no DOM.

/** The tab's rules named `name`. */
export function rulesOf(tab, name) {
  return (tab.rules || []).filter((rule) => rule.rule === name);
}

/** "conditional": the control is shown only when the chosen model is conditional (it takes a digit). */
export function conditional(site, model) {
  return Boolean(site.models[model]?.conditional);
}

/** "about": the text shown under the view for the chosen model (Markdown, or HTML in the static edition). */
export function about(rule, model) {
  return rule.texts[model] ?? "";
}

/** "preset": the settings a preset puts into the controls (key -> value), or null for no preset; `table`: the
 * site's entry holding the tab's presets (the Playground's, or the digits tab's). */
export function presetSettings(site, name, table = "playground") {
  return site[table].presets[name]?.settings ?? null;
}

/** "preset": the preset's note, { name, explanation }, or null. */
export function presetNote(site, name, table = "playground") {
  const preset = site[table].presets[name];
  return preset ? { name, explanation: preset.explanation } : null;
}

/** "critic_steps": an objective's customary critic steps (5 for WGAN-GP, else 1). */
export function criticSteps(site, objective) {
  return site.playground.objectives[objective]?.critic_steps ?? 1;
}

/** "own_points": the target menu follows the visitor's points (they are "your points"; cleared, the default). */
export function targetOfPoints(site, points, target) {
  const { your_points: own, default: first } = site.playground.targets;
  return points ? own : target === own ? first : target;
}

/** "own_points": choosing another target drops the visitor's points. */
export function pointsOfTarget(site, target, points) {
  return target === site.playground.targets.your_points ? points : "";
}

/** A seed's box changed: where its slider goes (the seed, when it is in the slider's range; else where it was). */
export function seedBrowse(max, text, shown) {
  return /^\s*[0-9]{1,3}\s*$/.test(String(text)) && Number(text) <= max ? Number(text) : shown;
}

/** Random: a seed in the slider's range (so box and slider agree), from the browser's cryptographic generator. */
export function randomSeed(max) {
  return String(crypto.getRandomValues(new Uint32Array(1))[0] % (max + 1));
}
