// The 2-D models' tab: real (orange) points of the model's own target and generated (blue) points over the
// critic's map (saved with the model), the target's mode centres, and the coverage of exactly this draw in the sentences gandemo/core/explain.py writes.

import * as check from "../runtime/check.js";
import { toyVerdict } from "../runtime/coverage.js";
import { fitCanvas, mountView, pictureElements } from "./view.js";

// Okabe & Ito, as gandemo/core/plots.py: real data as larger translucent orange discs under small dark-blue
// generated points, so that each stays readable over the other at every stage of training
export const REAL = "rgba(230, 159, 0, 0.5)";
export const FAKE = "rgba(0, 84, 147, 0.9)"; // #005493
const MAX_WIDTH = 600;
const MARGIN = { left: 28, top: 50, right: 66, bottom: 46 }; // (right: the map's scale)

/** values: [model, seed, points]. */
export function toyView([model, seed, points], site) {
  return {
    model: check.choice(model, "model", site.toys),
    seed: check.seed(seed),
    points: check.whole(points, site.settings.views.toy_points),
  };
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

/** The little Markdown the coverage sentences use: **bold** and [links](url). */
export function inlineMarkdown(text) {
  return escapeHtml(text)
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
}

/** The coverage sentences (site.coverage: templates from gandemo/core/explain.py) filled with these numbers. */
export function coverageLines(coverage, samples, templates) {
  if (!coverage.modes_total) return { head: `${coverage.target}: a target with no modes to count.`, lines: [] };
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  const verdict = toyVerdict(coverage, templates.alarm);
  const lines = [
    ...(verdict ? [`**Collapse alarm: ${verdict[1]}.**`] : []),
    fill(templates.lines.modes_captured, coverage),
    ...(coverage.modes_held != null
      ? [fill(templates.lines.modes_held, { ...coverage, near: `${(100 * coverage.near_share).toFixed(1)}%` })]
      : []),
    fill(templates.lines.high_quality_share, { high_quality: `${(100 * coverage.high_quality_share).toFixed(1)}%` }),
  ];
  if (typeof coverage.kl_to_uniform === "number")
    lines.push(fill(templates.lines.kl_to_uniform, { kl: coverage.kl_to_uniform.toFixed(4) }));
  return { head: fill(templates.head, { samples: samples.toLocaleString("en-US") }), lines };
}

/** The critic's map as a small image: 20 grey bands from its lowest score (light) to its highest (dark). */
function mapImage({ scores, resolution }) {
  let [low, high] = [Infinity, -Infinity];
  for (const s of scores) [low, high] = [Math.min(low, s), Math.max(high, s)];
  const image = new ImageData(resolution, resolution);
  for (let i = 0; i < resolution; i++)
    for (let j = 0; j < resolution; j++) {
      const band =
        high > low ? Math.min(19, Math.floor(((scores[i * resolution + j] - low) / (high - low)) * 20)) / 19 : 0;
      const grey = mapGrey(band);
      const at = ((resolution - 1 - i) * resolution + j) * 4; // row i is y = axis[i]: the top row is the highest y
      image.data.set([grey, grey, grey, 255], at);
    }
  const off = new OffscreenCanvas(resolution, resolution);
  off.getContext("2d").putImageData(image, 0, 0);
  return { off, low, high };
}

/** The map's grey at `unit` (0: its lowest score, 1: its highest), as the server's contourf at 55%. */
export const mapGrey = (unit) => Math.round(255 * (1 - 0.55 * (0.05 + 0.9 * unit)));

/** Real points as translucent discs, generated points as small dots on top (a white rim keeps them apart). */
export function drawPoints(ctx, { real, fake }, toX, toY) {
  ctx.fillStyle = REAL;
  for (let i = 0; i < real.length; i += 2) {
    ctx.beginPath();
    ctx.arc(toX(real[i]), toY(real[i + 1]), 3.2, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.fillStyle = FAKE;
  ctx.strokeStyle = "rgba(255, 255, 255, 0.7)";
  ctx.lineWidth = 0.5;
  for (let i = 0; i < fake.length; i += 2) {
    ctx.beginPath();
    ctx.arc(toX(fake[i]), toY(fake[i + 1]), 1.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}

/** The map's scale beside the plot: dark at the top (judged real), its scores at both ends. */
function drawScale(ctx, { low, high }, x, top, size) {
  for (let k = 0; k < 20; k++) {
    const grey = mapGrey((19 - k) / 19);
    ctx.fillStyle = `rgb(${grey}, ${grey}, ${grey})`;
    ctx.fillRect(x, top + (k * size) / 20, 10, size / 20 + 0.5);
  }
  ctx.strokeStyle = "#333";
  ctx.strokeRect(x, top, 10, size);
  ctx.fillStyle = "#000";
  ctx.font = "11px sans-serif";
  ctx.textAlign = "left";
  ctx.fillText(check.formatG(Number(high.toPrecision(2))), x + 13, top + 9);
  ctx.fillText(check.formatG(Number(low.toPrecision(2))), x + 13, top + size);
  ctx.save();
  ctx.translate(x + 50, top + size / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center";
  ctx.fillText("critic's score: darker = judged real", 0, 0);
  ctx.restore();
}

function drawLegend(ctx, y, width) {
  ctx.font = "12px sans-serif";
  ctx.textAlign = "left";
  const step = Math.min(150, (width - MARGIN.left) / 3);
  [
    ["real", REAL, 3.2],
    ["generated", FAKE, 1.8],
    ["mode centres", null, 0],
  ].forEach(([label, colour, r], k) => {
    const x = MARGIN.left + 6 + k * step;
    if (colour) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.arc(x + 4, y - 4, r, 0, 2 * Math.PI);
      ctx.fill();
    } else crossAt(ctx, x + 4, y - 4);
    ctx.fillStyle = "#000";
    ctx.fillText(label, x + 12, y);
  });
}

function crossAt(ctx, x, y) {
  ctx.strokeStyle = "#000";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x - 4, y);
  ctx.lineTo(x + 4, y);
  ctx.moveTo(x, y - 4);
  ctx.lineTo(x, y + 4);
  ctx.stroke();
}

function drawPlot(canvas, drawn, { model, limit }, redraw) {
  const { coverage, map } = drawn;
  const { ctx, width, height } = fitCanvas(
    canvas,
    MAX_WIDTH,
    (w) => w - MARGIN.left - MARGIN.right + MARGIN.top + MARGIN.bottom,
    redraw,
  );
  const size = width - MARGIN.left - MARGIN.right;
  const { left, top } = MARGIN;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  const toX = (x) => left + ((x + limit) / (2 * limit)) * size;
  const toY = (y) => top + ((limit - y) / (2 * limit)) * size;
  if (map) {
    const shown = mapImage(map);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(shown.off, left, top, size, size);
    drawScale(ctx, shown, left + size + 6, top, size);
  }
  ctx.strokeStyle = "#333";
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, size, size);
  drawPoints(ctx, drawn, toX, toY);
  for (const [x, y] of coverage.centers || []) crossAt(ctx, toX(x), toY(y));
  ctx.fillStyle = "#000";
  ctx.font = "bold 14px sans-serif";
  ctx.textAlign = "center";
  ctx.fillText(model, left + size / 2, 20);
  ctx.font = "13px sans-serif";
  ctx.fillText(
    coverage.modes_total
      ? `${coverage.modes_captured}/${coverage.modes_total} modes, ${(100 * coverage.high_quality_share).toFixed(1)}% high quality`
      : `target: ${coverage.target}`,
    left + size / 2,
    40,
  );
  ctx.font = "11px sans-serif";
  ctx.textAlign = "left";
  ctx.fillText(`${-limit}`, left, top + size + 13);
  ctx.textAlign = "right";
  ctx.fillText(`${limit}`, left + size, top + size + 13);
  drawLegend(ctx, top + size + 36, width);
  return { left, top, size, limit }; // (where the plot lies in the canvas, in CSS px)
}

export default {
  render({ el, props }) {
    const { site, server } = props;
    const picture = pictureElements(el, { alt: "real vs generated points" });
    const words = document.createElement("div");
    words.className = "gd-coverage prose";
    words.id = "coverage";
    el.append(words);
    const showWords = ({ head, lines }) => {
      words.innerHTML = `<p>${inlineMarkdown(head)}</p><ul>${lines.map((l) => `<li>${inlineMarkdown(l)}</li>`).join("")}</ul>`;
    };
    const serverDraw =
      server &&
      (async (values) => {
        const [src, coverage] = await server(values);
        picture.showImage(src);
        showWords(coverageLines(coverage, toyView(values, site).points, site.coverage));
      });
    let last = null; // the last draw: its view, points, coverage and where the plot lies (for tests: testing.js)
    return mountView({
      el,
      id: props.id,
      site,
      async draw(values, runtime) {
        const view = toyView(values, site);
        const drawn = await runtime.toy(view);
        const shown = (last = { view, fake: drawn.fake, real: drawn.real, coverage: drawn.coverage, plot: null });
        const shape = { model: view.model, limit: drawn.map ? drawn.map.limit : site.playground.targets.limit };
        const redraw = () => (shown.plot = drawPlot(picture.canvas, drawn, shape, redraw));
        redraw();
        picture.showCanvas();
        showWords(coverageLines(drawn.coverage, view.points, site.coverage));
      },
      serverDraw,
      inspect: () => last,
    });
  },
};
