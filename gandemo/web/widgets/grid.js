// The MNIST tab's grid: values [model, seed, rows, cols, digit], drawn in the browser at the API PNG's size.

import * as check from "../runtime/check.js";
import { paint } from "../runtime/pictures.js";
import { digitMapElement, measuresElement } from "./measures.js";
import { nearestOne, neighboursElement } from "./neighbours.js";
import { mountView, pageRuntime, pictureElements } from "./view.js";

/** The view's settings from the controls' values, checked (the same sentences as the server's). */
export function gridView([model, seed, rows, cols, digit], site) {
  const { views } = site.settings;
  return {
    model: check.choice(model, "model", site.mnist),
    seed: check.seed(seed),
    rows: check.whole(rows, views.rows),
    cols: check.whole(cols, views.cols),
    digit: check.digit(digit, site.all_digits),
  };
}

/** The grid's samples beside their nearest training digits: the app's server searches all of MNIST's (its
 * grid_neighbours), the static page the digits it ships, in the browser. */
async function nearestOf(values, site, calls) {
  if (calls && calls.grid_neighbours) return calls.grid_neighbours(values);
  const view = gridView(values, site);
  if (!site.models[view.model].conditional) view.digit = null;
  const runtime = pageRuntime(site);
  const { values: samples, n } = await runtime.mnistSamples(view);
  const answer = await runtime.neighbours(samples, n);
  return { ...answer, samples: Array.from({ length: n }, (_, k) => samples.subarray(k * 784, (k + 1) * 784)) };
}

export default {
  render({ el, props }) {
    const { site, server, calls } = props;
    const picture = pictureElements(el, { alt: "generated digits" });
    let [measures, map, near] = [null, null, null]; // (made after the view's note line: it stays under the picture)
    const close = mountView({
      el,
      id: props.id,
      site,
      async draw(values, runtime) {
        const view = gridView(values, site);
        if (!site.models[view.model].conditional) view.digit = null; // (the hidden digit box keeps its value)
        paint(picture.canvas, await runtime.mnistGrid(view));
        picture.showCanvas();
        near?.update(values);
        measures?.show(site, view.model);
        map?.show(runtime, site, view.model).catch(() => {}); // (the map is a companion: it never blocks the grid)
      },
      serverDraw:
        server &&
        (async (values) => {
          picture.showImage(await server(values));
          near?.update(values);
          if (typeof values[0] === "string" && Object.hasOwn(site.models, values[0])) measures?.show(site, values[0]);
        }),
    });
    near = neighboursElement(el, site.sizes.neighbours, (values) => nearestOf(values, site, calls));
    measures = measuresElement(el);
    map = digitMapElement(el, (values) => nearestOne(values, site, calls));
    return close;
  },
};
