// Beside an MNIST model's pictures: its collapse alarm and a small chart of precision and recall for each digit,
// with real digits' figures as ticks (gandemo/evaluate.py measures them; site.models[m].measures carries them).

const PRECISION = "rgb(0, 114, 178)";
const RECALL = "rgb(230, 159, 0)";

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

/** Draw the per-digit chart: two bars a digit (precision, recall), a tick at real digits' value on each. */
function drawChart(canvas, measures) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  const [left, bottom, top] = [28, 18, 8];
  const plotHeight = height - bottom - top;
  const group = (width - left) / 10;
  const bar = group * 0.34;
  ctx.clearRect(0, 0, width, height);
  ctx.font = "11px sans-serif";
  ctx.fillStyle = "#555";
  ctx.strokeStyle = "#ddd";
  for (const v of [0, 0.5, 1]) {
    const y = top + plotHeight * (1 - v);
    ctx.fillText(String(v), 2, y + 4);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(width, y);
    ctx.stroke();
  }
  const series = [
    [measures.precision, measures.precision_real, PRECISION],
    [measures.recall, measures.recall_real, RECALL],
  ];
  for (let d = 0; d < 10; d++) {
    const x0 = left + d * group + group * 0.14;
    series.forEach(([values, real, colour], s) => {
      const x = x0 + s * bar;
      const value = values[d];
      if (value != null) {
        ctx.fillStyle = colour;
        ctx.fillRect(x, top + plotHeight * (1 - value), bar - 2, plotHeight * value);
      }
      if (real && real[d] != null) {
        ctx.fillStyle = "#111";
        ctx.fillRect(x - 1, top + plotHeight * (1 - real[d]) - 1, bar, 2);
      }
    });
    ctx.fillStyle = "#333";
    ctx.fillText(String(d), x0 + bar - 3, height - 4);
  }
}

/** The element under a view that shows a model's measures: show(site, model) fills it (or hides it). */
export function measuresElement(el) {
  const box = element("div", { class: "gd-measures", id: "measures" });
  const alarm = element("p", { class: "gd-alarm", id: "collapse-alarm" });
  const canvas = element("canvas", { width: 420, height: 150, role: "img", id: "per-digit" });
  canvas.className = "gd-chart";
  const legend = element("p", { class: "gd-small" });
  const meanings = element("ul", { class: "gd-small gd-meanings" });
  box.append(alarm, canvas, legend, meanings);
  box.hidden = true;
  el.append(box);
  return {
    show(site, model) {
      const measures = site.models[model] && site.models[model].measures;
      box.hidden = !measures;
      if (!measures) return;
      alarm.textContent = measures.alarm ? `Collapse alarm: ${measures.alarm.words}.` : "";
      alarm.dataset.alarm = measures.alarm && measures.alarm.alarm ? "on" : "off";
      const perDigit = Array.isArray(measures.precision) && measures.precision.length === 10;
      canvas.hidden = legend.hidden = !perDigit;
      if (perDigit) {
        drawChart(canvas, measures);
        const by = site.models[model].conditional ? "by the digit asked for" : "by the digit our classifier reads";
        canvas.setAttribute("aria-label", `${model}: precision and recall for each digit, ${by}`);
        legend.textContent = `Per digit (${by}): precision (blue) and recall (orange); the black ticks are real training digits' figures.`;
      }
      meanings.replaceChildren(
        ...Object.entries(measures.meanings || {}).map(([name, meaning]) => element("li", {}, `${name}: ${meaning}`)),
      );
    },
  };
}
