// The Latent directions tab: values [model, seed, tile, offset 1..5]: one sample moved along the model's latent
// directions (GANSpace), redrawn in the browser on every slider movement, beside a strip of each direction
// from -3 to +3 standard deviations and what each was measured to change (site.models[m].directions_described).

import * as check from "../runtime/check.js";
import { paint } from "../runtime/pictures.js";
import { mountView, pictureElements } from "./view.js";

/** The view's settings from the controls' values, checked (the same sentences as the server's). */
export function steerView([model, seed, tile, ...offsets], site) {
  const { views } = site.settings;
  return {
    model: check.choice(model, "model", site.steerable),
    seed: check.seed(seed),
    tile: check.whole(tile, views.tile),
    offsets: offsets.map((v, k) => check.number(v, { ...views.offset, label: `direction ${k + 1}` })),
  };
}

export default {
  render({ el, props }) {
    const { site, server } = props;
    const row = document.createElement("div");
    row.className = "gd-steer";
    const one = document.createElement("div");
    const strip = document.createElement("div");
    row.append(one, strip);
    el.append(row);
    const picture = pictureElements(one, { alt: "the sample, moved along the latent directions" });
    const strips = pictureElements(strip, { alt: "each direction from -3 to +3 standard deviations, one row each" });
    const legend = document.createElement("ol");
    legend.className = "gd-directions";
    el.append(legend);
    const describe = (model) => {
      const described = site.models[model].directions_described || [];
      legend.replaceChildren(
        ...described.map((d) => Object.assign(document.createElement("li"), { textContent: d.words })),
      );
    };
    return mountView({
      el,
      id: props.id,
      site,
      async draw(values, runtime) {
        const view = steerView(values, site);
        const drawn = await runtime.steer(view);
        paint(picture.canvas, drawn.picture);
        paint(strips.canvas, drawn.strip);
        picture.showCanvas();
        strips.showCanvas();
        describe(view.model);
      },
      serverDraw:
        server &&
        (async (values) => {
          const [pictureUrl, stripUrl] = await server(values);
          picture.showImage(pictureUrl);
          strips.showImage(stripUrl);
          if (site.models[values[0]]) describe(values[0]);
        }),
    });
  },
};
