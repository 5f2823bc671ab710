// Inversion in the page, as gandemo/measures/inversion.py invert_many does it for one digit (its numbers arrive in
// `rules`, site.inversion): Adam on z from `restarts` portable latents of `seed` (every label tried starts from
// the same ones), the loss each row's mean squared difference in [-1, 1], summed over the rows; the gradients
// through the generator by hand (backprop.js). Returns the closest row: its distance (RMS of ink in [0, 1]),
// label, latent and picture.

import { dcganPass, mlpPass } from "./backprop.js";
import { normals } from "./random.js";
import { nextTurn } from "./turns.js";

/** The rows' starting latents (label-major, then restart) and each row's label (null: unconditional). */
function rowsOf(g, rules, labels) {
  const dim = g.model.latent_dim;
  const starts = normals(rules.seed, rules.restarts, dim);
  const tried = labels ? labels.length : 1;
  const z = new Float32Array(tried * rules.restarts * dim);
  for (let l = 0; l < tried; l++) z.set(starts, l * rules.restarts * dim);
  const rowLabels = labels
    ? Int32Array.from({ length: tried * rules.restarts }, (_, i) => labels[Math.floor(i / rules.restarts)])
    : null;
  return { z, rowLabels, rows: tried * rules.restarts };
}

/** One Adam step (the formulas of inversion.py: bias-corrected moments, eps outside the square root). */
function adamStep(tf, state, grad, t, rules) {
  const [b1, b2] = rules.betas;
  const m = tf.add(tf.mul(state.m, b1), tf.mul(grad, 1 - b1));
  const v = tf.add(tf.mul(state.v, b2), tf.mul(tf.square(grad), 1 - b2));
  const step = tf.div(tf.div(m, 1 - b1 ** t), tf.add(tf.sqrt(tf.div(v, 1 - b2 ** t)), rules.eps));
  return { z: tf.sub(state.z, tf.mul(step, rules.lr)), m, v };
}

const BURST_MS = 50; // (the page answers clicks and uploads between bursts of steps)

/** Invert `digit` (784 values, ink in [0, 1]) in generator `g`; `labels`: the digits a conditional one tries.
 * Runs in bursts of about BURST_MS between which the page stays responsive; `wanted()` false between bursts
 * abandons it (null: a newer digit has taken its place). */
export async function invert(tf, g, digit, rules, labels = null, wanted = () => true) {
  const pass = g.mlp ? mlpPass(tf, g.mlp) : dcganPass(tf, g.dcgan);
  const { z: z0, rowLabels, rows } = rowsOf(g, rules, g.model.num_classes ? labels : null);
  const dim = g.model.latent_dim;
  const target = tf.tensor2d(
    Float32Array.from(digit, (v) => v * 2 - 1),
    [1, digit.length],
  );
  const labelTensor = rowLabels ? tf.tensor1d(rowLabels, "int32") : null;
  let state = { z: tf.tensor2d(z0, [rows, dim]), m: tf.zeros([rows, dim]), v: tf.zeros([rows, dim]) };
  try {
    let burst = performance.now();
    for (let t = 1; t <= rules.steps; t++) {
      if (performance.now() - burst > BURST_MS) {
        await nextTurn();
        if (!wanted()) return null;
        burst = performance.now();
      }
      const next = tf.tidy(() => adamStep(tf, state, pass.run(state.z, labelTensor, target).grad, t, rules));
      tf.dispose([state.z, state.m, state.v]);
      state = next;
    }
    const [distances, pictures] = tf.tidy(() => {
      const { out } = pass.run(state.z, labelTensor);
      return [tf.div(tf.sqrt(tf.mean(tf.square(tf.sub(out, target)), 1)), 2), out];
    });
    const d = distances.dataSync();
    const best = d.indexOf(Math.min(...d));
    const picture = pictures.dataSync().slice(best * digit.length, (best + 1) * digit.length);
    const z = state.z.dataSync().slice(best * dim, (best + 1) * dim);
    tf.dispose([distances, pictures]);
    return {
      distance: d[best],
      label: rowLabels ? rowLabels[best] : null,
      z: Array.from(z),
      picture: Array.from(picture, (v) => Math.min(1, Math.max(0, (v + 1) / 2))),
    };
  } finally {
    tf.dispose([target, state.z, state.m, state.v, ...(labelTensor ? [labelTensor] : [])]);
    pass.dispose();
  }
}

/** The `k` likeliest digits, likeliest first (ties: the smaller digit first; inversion.py likeliest). */
export function likeliest(probabilities, k) {
  return Array.from(probabilities.keys())
    .sort((a, b) => probabilities[b] - probabilities[a] || a - b)
    .slice(0, k);
}
