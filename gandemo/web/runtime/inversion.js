// Inversion in the page, as gandemo/measures/inversion.py invert_many does it for one digit (its numbers arrive in
// `rules`, site.inversion): Adam on z from `restarts` portable latents of `seed` (every label tried starts from
// the same ones), the loss each row's mean squared difference in [-1, 1], summed over the rows; the gradients
// through the generator with tf.variableGrads. Returns the closest row: its distance (RMS of ink in [0, 1]),
// label, latent and picture.

import { normals } from "./random.js";

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

/** One Adam step on z (the formulas of inversion.py: bias-corrected moments, eps outside the square root). */
function adamStep(tf, state, loss, t, rules) {
  const [b1, b2] = rules.betas;
  tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, [state.z]);
    const grad = grads[state.z.name];
    state.m.assign(tf.add(tf.mul(state.m, b1), tf.mul(grad, 1 - b1)));
    state.v.assign(tf.add(tf.mul(state.v, b2), tf.mul(tf.square(grad), 1 - b2)));
    const mHat = tf.div(state.m, 1 - b1 ** t);
    const vHat = tf.div(state.v, 1 - b2 ** t);
    state.z.assign(tf.sub(state.z, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), rules.eps)), rules.lr)));
  });
}

/** Invert `digit` (784 values, ink in [0, 1]) in generator `g`; `labels`: the digits a conditional one tries. */
export function invert(tf, g, digit, rules, labels = null) {
  const { z: z0, rowLabels, rows } = rowsOf(g, rules, g.model.num_classes ? labels : null);
  const dim = g.model.latent_dim;
  const target = tf.tensor2d(
    Float32Array.from(digit, (v) => v * 2 - 1),
    [1, digit.length],
  );
  const state = {
    z: tf.variable(tf.tensor2d(z0, [rows, dim])),
    m: tf.variable(tf.zeros([rows, dim])),
    v: tf.variable(tf.zeros([rows, dim])),
  };
  const loss = () => tf.sum(tf.mean(tf.square(tf.sub(g.forward(state.z, rowLabels), target)), 1));
  try {
    for (let t = 1; t <= rules.steps; t++) adamStep(tf, state, loss, t, rules);
    const [distances, pictures] = tf.tidy(() => {
      const p = g.forward(state.z, rowLabels);
      return [tf.div(tf.sqrt(tf.mean(tf.square(tf.sub(p, target)), 1)), 2), p];
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
    tf.dispose([target, state.z, state.m, state.v]);
  }
}

/** The `k` likeliest digits, likeliest first (ties: the smaller digit first; inversion.py likeliest). */
export function likeliest(probabilities, k) {
  return Array.from(probabilities.keys())
    .sort((a, b) => probabilities[b] - probabilities[a] || a - b)
    .slice(0, k);
}
