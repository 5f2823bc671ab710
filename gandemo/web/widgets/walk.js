// The Latent walk's strip: values [model, seed A, seed B, steps, method, digit], redrawn on every change.

import * as check from "../runtime/check.js";
import { paint } from "../runtime/pictures.js";
import { mountView, pictureElements } from "./view.js";

export function walkView([model, seedA, seedB, steps, method, digit], site) {
  return {
    model: check.choice(model, "model", site.mnist),
    seedA: check.seed(seedA, "seed A"),
    seedB: check.seed(seedB, "seed B"),
    steps: check.whole(steps, site.settings.views.walk_steps),
    method: check.choice(method, "interpolation", ["slerp", "lerp"]),
    digit: check.digit(digit, site.all_digits),
  };
}

export default {
  render({ el, props }) {
    const { site, server } = props;
    const picture = pictureElements(el, { alt: "frames of the latent walk" });
    return mountView({
      el,
      id: props.id,
      site,
      async draw(values, runtime) {
        const view = walkView(values, site);
        const conditional = site.models[view.model].conditional;
        if (conditional && view.digit === null)
          throw new RangeError(`'${view.model}' is conditional: choose one digit (0-9) to walk through`);
        if (!conditional) view.digit = null; // (the hidden digit box keeps its value)
        paint(picture.canvas, (await runtime.walk(view)).strip);
        picture.showCanvas();
      },
      serverDraw: server && (async (values) => picture.showImage(await server(values))),
    });
  },
};
