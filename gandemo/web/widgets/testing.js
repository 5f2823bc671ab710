// What tests and benchmarks may reach in a page, and nothing else: the page's site, a view's values, a push of
// new values (as the page's controls do), each draw's timing and what a view shows (its `inspect`). Both
// editions mark each view's element with data-web, the web folder's address, so a test imports this module
// from there: `const t = await import(document.querySelector("[data-web]").dataset.web + "widgets/testing.js")`
// (tests/browser_helpers.py). It shares view.js's state because it imports the same address.

import { pageSite, slot, timings as drawTimes } from "./view.js";

/** The page's site description (gandemo/ui/browser.py site), once a view has mounted. */
export function site() {
  return pageSite();
}

/** Hand view `id` new values, as its controls' browser-only events do. */
export function push(id, values) {
  slot(id).update(values);
}

/** The values view `id` was last handed (a copy). */
export function values(id) {
  const held = slot(id).values;
  return held ? [...held] : null;
}

/** Every draw so far: { view, ms, where }. */
export function timings() {
  return drawTimes().map((t) => ({ ...t }));
}

/** What view `id` shows tests (the Playground: its last save), or null before it has mounted. */
export function inspect(id) {
  const s = slot(id);
  return s.inspect ? s.inspect() : null;
}
