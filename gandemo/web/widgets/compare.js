// The Compare tab: one seed through every MNIST model, a picture and a caption each.

import * as check from "../runtime/check.js";
import { paint } from "../runtime/pictures.js";
import { mountView } from "./view.js";

export default {
  render({ el, props }) {
    const { site, server } = props;
    const gallery = document.createElement("div");
    gallery.className = "gd-gallery";
    const figures = site.mnist.map((name) => {
      const figure = document.createElement("figure");
      const canvas = document.createElement("canvas");
      const img = document.createElement("img");
      const caption = document.createElement("figcaption");
      canvas.className = img.className = "gd-picture";
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `${name}, same seed`);
      img.alt = `${name}, same seed`;
      img.hidden = true;
      caption.textContent = site.models[name].caption;
      figure.append(canvas, img, caption);
      gallery.append(figure);
      return { name, canvas, img };
    });
    el.append(gallery);
    return mountView({
      el,
      id: props.id,
      site,
      async draw([seed], runtime) {
        check.seed(seed);
        for (const f of figures) {
          paint(f.canvas, await runtime.compareGrid(f.name, seed));
          f.canvas.hidden = false;
          f.img.hidden = true;
        }
      },
      serverDraw:
        server &&
        (async (values) => {
          const pictures = await server(values); // [[data url, caption], ...] in site.mnist's order
          figures.forEach((f, i) => {
            f.img.src = pictures[i][0];
            f.img.hidden = false;
            f.canvas.hidden = true;
          });
        }),
    });
  },
};
