// The 2-D models' tab: real (orange) points of the model's own target and generated (blue) points over the
// critic's map (saved with the model), the target's mode centres, and the coverage of exactly this draw in the sentences gandemo/explain.py writes.

import * as check from "../runtime/check.js";
import { toyVerdict } from "../runtime/coverage.js";
import { mountView, pictureElements } from "./view.js";

const REAL = "rgba(230, 159, 0, 0.5)"; // Okabe & Ito, as gandemo/plots.py
const FAKE = "rgba(0, 114, 178, 0.75)";
const SIZE = 560;
const PLOT = { left: 40, top: 56, size: 480 };

/** values: [model, seed, points]. */
export function toyView([model, seed, points], site) {
  return { model: check.choice(model, "model", site.toys), seed: check.seed(seed), points: check.whole(points, site.settings.views.toy_points) };
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

/** The coverage sentences (site.coverage: templates from gandemo/explain.py) filled with these numbers. */
export function coverageLines(coverage, samples, templates) {
  if (!coverage.modes_total) return { head: `${coverage.target}: a target with no modes to count.`, lines: [] };
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  const verdict = toyVerdict(coverage, templates.alarm);
  const lines = [
    ...(verdict ? [`**Collapse alarm: ${verdict[1]}.**`] : []),
    fill(templates.lines.modes_captured, coverage),
    ...(coverage.modes_held != null ? [fill(templates.lines.modes_held, { ...coverage, near: `${(100 * coverage.near_share).toFixed(1)}%` })] : []),
    fill(templates.lines.high_quality_share, { high_quality: `${(100 * coverage.high_quality_share).toFixed(1)}%` }),
  ];
  if (typeof coverage.kl_to_uniform === "number") lines.push(fill(templates.lines.kl_to_uniform, { kl: coverage.kl_to_uniform.toFixed(4) }));
  return { head: fill(templates.head, { samples: samples.toLocaleString("en-US") }), lines };
}

function drawPlot(canvas, { fake, real, coverage, map }, { model, limit }) {
  const centers = coverage.centers || [];
  canvas.width = SIZE;
  canvas.height = SIZE + 40;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const toX = (x) => PLOT.left + ((x + limit) / (2 * limit)) * PLOT.size;
  const toY = (y) => PLOT.top + ((limit - y) / (2 * limit)) * PLOT.size;
  if (map) {
    // 20 filled bands between the map's lowest and highest score, greys at 55% as the server's contourf
    const { scores, resolution } = map;
    let low = Infinity;
    let high = -Infinity;
    for (const s of scores) [low, high] = [Math.min(low, s), Math.max(high, s)];
    const image = ctx.createImageData(resolution, resolution);
    for (let i = 0; i < resolution; i++)
      for (let j = 0; j < resolution; j++) {
        const band = high > low ? Math.min(19, Math.floor(((scores[i * resolution + j] - low) / (high - low)) * 20)) / 19 : 0;
        const grey = Math.round(255 * (1 - 0.55 * (0.05 + 0.9 * band)));
        const at = ((resolution - 1 - i) * resolution + j) * 4; // row i is y = axis[i]: the top row is the highest y
        image.data.set([grey, grey, grey, 255], at);
      }
    const off = new OffscreenCanvas(resolution, resolution);
    off.getContext("2d").putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, PLOT.left, PLOT.top, PLOT.size, PLOT.size);
  }
  ctx.strokeStyle = "#333";
  ctx.strokeRect(PLOT.left, PLOT.top, PLOT.size, PLOT.size);
  ctx.fillStyle = REAL;
  for (let i = 0; i < real.length; i += 2) ctx.fillRect(toX(real[i]) - 1.6, toY(real[i + 1]) - 1.6, 3.2, 3.2);
  ctx.fillStyle = FAKE;
  ctx.strokeStyle = "rgba(255, 255, 255, 0.6)";
  ctx.lineWidth = 0.4;
  for (let i = 0; i < fake.length; i += 2) {
    ctx.beginPath();
    ctx.arc(toX(fake[i]), toY(fake[i + 1]), 1.8, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  ctx.strokeStyle = "#000";
  ctx.lineWidth = 1.5;
  for (const [x, y] of centers) {
    ctx.beginPath();
    ctx.moveTo(toX(x) - 6, toY(y));
    ctx.lineTo(toX(x) + 6, toY(y));
    ctx.moveTo(toX(x), toY(y) - 6);
    ctx.lineTo(toX(x), toY(y) + 6);
    ctx.stroke();
  }
  ctx.fillStyle = "#000";
  ctx.font = "14px sans-serif";
  ctx.textAlign = "center";
  ctx.fillText(model, SIZE / 2, 22);
  ctx.fillText(
    coverage.modes_total
      ? `${coverage.modes_captured}/${coverage.modes_total} modes, ${(100 * coverage.high_quality_share).toFixed(1)}% high quality`
      : `target: ${coverage.target}`,
    SIZE / 2,
    42,
  );
  ctx.font = "12px sans-serif";
  ctx.textAlign = "left";
  const legend = [
    [REAL, "real"],
    [FAKE, "generated"],
    ["#000", "+ mode centres"],
  ];
  legend.forEach(([colour, label], k) => {
    const x = PLOT.left + 40 + k * 150;
    const y = PLOT.top + PLOT.size + 26;
    ctx.fillStyle = colour;
    if (k < 2) ctx.fillRect(x, y - 8, 8, 8);
    ctx.fillStyle = "#000";
    ctx.fillText(label, x + (k < 2 ? 14 : 0), y);
  });
  ctx.fillText(`${-limit}`, PLOT.left - 4, PLOT.top + PLOT.size + 12);
  ctx.fillText(`${limit}`, PLOT.left + PLOT.size - 8, PLOT.top + PLOT.size + 12);
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
    return mountView({
      el,
      id: props.id,
      site,
      async draw(values, runtime) {
        const view = toyView(values, site);
        const drawn = await runtime.toy(view);
        el.lastDraw = { view, fake: drawn.fake, real: drawn.real, coverage: drawn.coverage }; // (for tests and tools)
        drawPlot(picture.canvas, drawn, { model: view.model, limit: drawn.map ? drawn.map.limit : site.playground.targets.limit });
        picture.showCanvas();
        showWords(coverageLines(drawn.coverage, view.points, site.coverage));
      },
      serverDraw,
    });
  },
};
