// The generators' pictures of z and, given a target, the gradient with respect to z of the rows' summed mean
// squared difference, written by hand: the vendored tf-core registers no gradients (the trainer's networks are
// hand-differentiated too). Each pass keeps what the way down needs on the way up; runtime/inversion.js uses
// them for Adam on z. The layers are networks.js's (BatchNorm folded in), read through buildGenerator's mlp / dcgan.

/** The loss's gradient at the pictures (out: after tanh): d/d(pre-tanh) of sum_rows mean (out - target)^2. */
function outputGradient(tf, out, target) {
  return tf.mul(tf.mul(tf.sub(out, target), 2 / target.size), tf.sub(1, tf.square(out)));
}

/** The slope of an activation where its input was `pre` (or where its output `post` was positive, for relu). */
function slope(tf, kind, alpha, values) {
  if (kind === "linear") return null;
  const low = kind === "leakyrelu" ? alpha : 0;
  return tf.add(tf.mul(tf.cast(tf.greater(values, 0), "float32"), 1 - low), low);
}

/** The MLP generator: { run(z, labels, target?) -> { out (rows, 784), grad (rows, dim) when a target is given }, dispose() }. */
export function mlpPass(tf, net) {
  // each weight transposed once per inversion: the way up then multiplies plainly (a transposed operand costs the
  // wasm backend a transpose of the whole matrix on every call)
  const transposed = net.layers.map((layer) => tf.transpose(layer.w));
  const run = (z, labels, target = null) => {
    let x = net.embedding ? tf.concat([z, tf.gather(net.embedding, labels)], 1) : z;
    const kept = [];
    for (const layer of net.layers) {
      const a = tf.add(tf.matMul(x, layer.w), layer.b);
      kept.push(a);
      const act = layer.activation;
      x = act === "leakyrelu" ? tf.leakyRelu(a, net.alpha) : act === "relu" ? tf.relu(a) : a;
    }
    const out = net.tanh ? tf.tanh(x) : x;
    if (!target) return { out };
    let g = outputGradient(tf, out, target);
    for (let i = net.layers.length - 1; i >= 0; i--) {
      const s = slope(tf, net.layers[i].activation, net.alpha, kept[i]);
      g = tf.matMul(s ? tf.mul(g, s) : g, transposed[i]);
    }
    return { out, grad: tf.slice(g, [0, 0], z.shape) };
  };
  return { run, dispose: () => tf.dispose(transposed) };
}

/** The gradient through one upsampling (networks.js upsample: four 2 x 2 convolutions, one per output parity,
 * interleaved): g (B, 2H, 2W, cout) and the parities' outputs -> (B, H, W, cin). A stride-1 convolution padded
 * (t, 1 - t) sends its gradient back as the convolution of g padded (1 - t, t) with the kernel flipped and its
 * channels swapped. */
function upsampleBack(tf, up, flipped, g, parts) {
  const [n, h2, w2, cout] = g.shape;
  const [h, w] = [h2 / 2, w2 / 2];
  const six = tf.reshape(g, [n, h, 2, w, 2, cout]);
  let dx = null;
  for (let py = 0; py < 2; py++)
    for (let px = 0; px < 2; px++) {
      let gp = tf.reshape(tf.slice(six, [0, 0, py, 0, px, 0], [n, h, 1, w, 1, cout]), [n, h, w, cout]);
      const s = slope(tf, up.activation, 0, parts[py * 2 + px]);
      if (s) gp = tf.mul(gp, s);
      const pad = [
        [0, 0],
        [py, 1 - py],
        [px, 1 - px],
        [0, 0],
      ];
      const part = tf.conv2d(gp, flipped[py * 2 + px], 1, pad);
      dx = dx ? tf.add(dx, part) : part;
    }
  return dx;
}

/** One upsampling forward, keeping each parity's output (networks.js upsample's arithmetic). */
function upsampleForward(tf, up, x) {
  const [n, h, w] = x.shape;
  const parts = [];
  for (let py = 0; py < 2; py++)
    for (let px = 0; px < 2; px++) {
      const pad = [
        [0, 0],
        [1 - py, py],
        [1 - px, px],
        [0, 0],
      ];
      const { bias, activation } = up;
      parts.push(tf.fused.conv2d({ x, filter: up.kernels[py * 2 + px], strides: 1, pad, bias, activation }));
    }
  const rows = [0, 1].map((py) => tf.stack([parts[py * 2], parts[py * 2 + 1]], 3));
  const cout = parts[0].shape[3];
  return { y: tf.reshape(tf.stack(rows, 2), [n, 2 * h, 2 * w, cout]), parts };
}

/** The DCGAN generator, as mlpPass (unconditional: labels is null). */
export function dcganPass(tf, net) {
  const flip = (k) => tf.transpose(tf.reverse(k, [0, 1]), [0, 1, 3, 2]);
  const flipped = [net.up14, net.up28].map((up) => up.kernels.map(flip)); // (made once per inversion)
  const transposed = net.project.map((layer) => tf.transpose(layer.w)); // (as mlpPass's)
  const run = (z, labels, target = null) => {
    let x = z;
    const kept = [];
    for (const layer of net.project) {
      x = tf.fused.matMul({ a: x, b: layer.w, bias: layer.b, activation: "relu" });
      kept.push(x);
    }
    const h = tf.transpose(tf.reshape(x, [-1, net.c7, 7, 7]), [0, 2, 3, 1]);
    const a14 = upsampleForward(tf, net.up14, h);
    const a28 = upsampleForward(tf, net.up28, a14.y);
    const out = tf.reshape(tf.tanh(a28.y), [z.shape[0], 784]);
    if (!target) return { out };
    let g = tf.reshape(outputGradient(tf, out, target), a28.y.shape);
    g = upsampleBack(tf, net.up28, flipped[1], g, a28.parts);
    g = upsampleBack(tf, net.up14, flipped[0], g, a14.parts);
    g = tf.reshape(tf.transpose(g, [0, 3, 1, 2]), [z.shape[0], -1]);
    for (let i = net.project.length - 1; i >= 0; i--)
      g = tf.matMul(tf.mul(g, slope(tf, "relu", 0, kept[i])), transposed[i]);
    return { out, grad: g };
  };
  return { run, dispose: () => tf.dispose([...flipped.flat(), ...transposed]) };
}
