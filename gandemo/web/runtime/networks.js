// Generators built from a checkpoint's config and weights, run with TensorFlow.js (the page's global `tf`;
// tf-core alone registers no chained ops, so every op is called as tf.op(x)).
// The layers and their weight names follow gandemo/core/models.py one for one; BatchNorm (eval mode) is folded
// into the layer before it, and each stride-2 transposed convolution runs as four small convolutions.

const BN_EPS = 1e-5; // torch's BatchNorm default

export function tensorOf(tensors, key, shape) {
  const t = tensors[key];
  if (!t || !t.data) throw new Error(`the weights lack the float32 tensor ${key}`);
  if (shape && (t.shape.length !== shape.length || t.shape.some((v, i) => shape[i] !== -1 && v !== shape[i]))) {
    throw new Error(`in the weights, ${key} has shape [${t.shape}], expected [${shape}]`);
  }
  return t;
}

/** BatchNorm's eval-mode scale and shift per channel, from its weights under `prefix`. */
function batchnorm(tensors, prefix) {
  const w = tensorOf(tensors, `${prefix}.weight`).data;
  const b = tensorOf(tensors, `${prefix}.bias`).data;
  const mean = tensorOf(tensors, `${prefix}.running_mean`).data;
  const variance = tensorOf(tensors, `${prefix}.running_var`).data;
  const scale = new Float32Array(w.length);
  const shift = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) {
    scale[i] = w[i] / Math.sqrt(variance[i] + BN_EPS);
    shift[i] = b[i] - mean[i] * scale[i];
  }
  return { scale, shift };
}

/** A dense layer (torch weight (out, in)) as a tf (in, out) matrix and a bias, with a BatchNorm folded in. */
export function dense(tf, tensors, prefix, { bias = true, norm = null } = {}) {
  const weight = tensorOf(tensors, `${prefix}.weight`);
  const [outs, ins] = weight.shape;
  const matrix = new Float32Array(ins * outs);
  const shift = new Float32Array(outs);
  const b = bias ? tensorOf(tensors, `${prefix}.bias`).data : null;
  const bn = norm ? batchnorm(tensors, norm) : null;
  for (let o = 0; o < outs; o++) {
    const scale = bn ? bn.scale[o] : 1;
    for (let i = 0; i < ins; i++) matrix[i * outs + o] = weight.data[o * ins + i] * scale;
    shift[o] = (b ? b[o] : 0) * scale + (bn ? bn.shift[o] : 0);
  }
  return { w: tf.tensor2d(matrix, [ins, outs]), b: tf.tensor1d(shift), outs };
}

/** ConvTranspose2d(cin, cout, 4, stride 2, padding 1) as four 2x2 convolutions, one per output parity, with a
 * BatchNorm folded in: apply(x (B, H, W, cin)) -> (B, 2H, 2W, cout). Output row 2m + p reads input rows m - 1
 * and m (p = 0: taps 3 and 1) or m and m + 1 (p = 1: taps 2 and 0); the same for columns. The same multiply-adds
 * as the transposed convolution, which the wasm backend runs ~10x slower than convolutions. */
function upsample(tf, tensors, prefix, { bias = false, norm = null, activation = "linear" } = {}) {
  const weight = tensorOf(tensors, `${prefix}.weight`, [-1, -1, 4, 4]);
  const [cin, cout] = weight.shape;
  const bn = norm ? batchnorm(tensors, norm) : null;
  const b = bias ? tensorOf(tensors, `${prefix}.bias`).data : null;
  const taps = [
    [3, 1],
    [2, 0],
  ]; // taps[parity][window offset]
  const shift = new Float32Array(cout);
  for (let co = 0; co < cout; co++) shift[co] = (b ? b[co] : 0) * (bn ? bn.scale[co] : 1) + (bn ? bn.shift[co] : 0);
  const kernels = [];
  for (let py = 0; py < 2; py++)
    for (let px = 0; px < 2; px++) {
      const kernel = new Float32Array(2 * 2 * cin * cout);
      for (let wy = 0; wy < 2; wy++)
        for (let wx = 0; wx < 2; wx++)
          for (let ci = 0; ci < cin; ci++)
            for (let co = 0; co < cout; co++) {
              const value = weight.data[((ci * cout + co) * 4 + taps[py][wy]) * 4 + taps[px][wx]];
              kernel[((wy * 2 + wx) * cin + ci) * cout + co] = value * (bn ? bn.scale[co] : 1);
            }
      kernels.push(tf.tensor4d(kernel, [2, 2, cin, cout]));
    }
  const biasTensor = tf.tensor1d(shift);
  const apply = (x) => {
    const [n, h, w] = x.shape;
    // parity (py, px) reads a window padded by one on its own sides: explicit padding, no copies (tf.slice was
    // a third of the DCGAN's time in the wasm backend)
    const part = (py, px) => {
      const pad = [
        [0, 0],
        [1 - py, py],
        [1 - px, px],
        [0, 0],
      ];
      return tf.fused.conv2d({ x, filter: kernels[py * 2 + px], strides: 1, pad, bias: biasTensor, activation });
    };
    // interleave the parities: (B, H, 2, W, 2, cout) is (B, 2H, 2W, cout) (tf.depthToSpace was 6x slower here)
    const rows = [0, 1].map((py) => tf.stack([part(py, 0), part(py, 1)], 3)); // (B, H, W, 2, cout)
    return tf.reshape(tf.stack(rows, 2), [n, 2 * h, 2 * w, cout]);
  };
  return { apply, kernels, bias: biasTensor, activation }; // (its parts: runtime/backprop.js differentiates them)
}

const ACTIVATIONS = { leaky_relu: ["leakyrelu", 0.2], relu: ["relu", 0] };

function activationOf(name) {
  const found = ACTIVATIONS[name];
  if (!found) throw new Error(`unknown activation ${name}`);
  return found;
}

/** An MLP generator (models.MLPGenerator): Linear, [BatchNorm from the second block], activation, ..., Linear[, Tanh]. */
function mlpGenerator(tf, model, tensors) {
  const [activation, alpha] = activationOf(model.activation);
  const layers = [];
  let index = 0;
  model.g_hidden.forEach((_, i) => {
    const prefix = `net.${index}`;
    const norm = model.g_batchnorm && i > 0 ? `net.${index + 1}` : null;
    layers.push({ ...dense(tf, tensors, prefix, { norm }), activation });
    index += norm ? 3 : 2;
  });
  layers.push({ ...dense(tf, tensors, `net.${index}`), activation: "linear" });
  const tanh = model.data === "mnist";
  const body = (x) => {
    for (const layer of layers) {
      x = tf.fused.matMul({ a: x, b: layer.w, bias: layer.b, activation: layer.activation, leakyreluAlpha: alpha });
    }
    return tanh ? tf.tanh(x) : x;
  };
  return { body, layers, alpha, tanh }; // (its layers: runtime/inversion.js differentiates them)
}

/** The DCGAN generator (models.DCGANGenerator): [fc], project to 7x7, two stride-2 upsamplings, Tanh. */
function dcganGenerator(tf, model, tensors) {
  const [c7] = model.g_hidden;
  const project = [];
  let index = 0;
  if (model.g_fc) {
    project.push(dense(tf, tensors, "project.0", { bias: false, norm: "project.1" }));
    index = 3;
  }
  project.push(dense(tf, tensors, `project.${index}`, { bias: false, norm: `project.${index + 1}` }));
  const up14 = upsample(tf, tensors, "net.0", { norm: "net.1", activation: "relu" }); // (B, 14, 14, c14)
  const up28 = upsample(tf, tensors, "net.3", { bias: true }); // (B, 28, 28, 1)
  const body = (x) => {
    for (const layer of project) x = tf.fused.matMul({ a: x, b: layer.w, bias: layer.b, activation: "relu" });
    let h = tf.transpose(tf.reshape(x, [-1, c7, 7, 7]), [0, 2, 3, 1]); // torch's (C, H, W) order to tf's (H, W, C)
    return tf.tanh(up28.apply(up14.apply(h)));
  };
  return { body, project, up14, up28, c7 };
}

/** A runnable generator: run(latents Float32Array (n * latent_dim), labels Int32Array | null) -> Float32Array. */
export function buildGenerator(tf, config, tensors) {
  const model = config.model;
  if (!model || !model.arch || !model.latent_dim) throw new Error("the config lacks its 'model' section");
  const net =
    model.arch === "mlp"
      ? mlpGenerator(tf, model, tensors)
      : model.arch === "dcgan"
        ? dcganGenerator(tf, model, tensors)
        : null;
  if (!net) throw new Error(`unknown architecture ${model.arch}`);
  const body = net.body;
  const embed = model.num_classes ? tensorOf(tensors, "join.embed.weight", [model.num_classes, model.embed_dim]) : null;
  const embedding = embed ? tf.tensor2d(embed.data, embed.shape) : null;
  const outputSize = model.data === "mnist" ? 28 * 28 : 2;
  return {
    model,
    outputSize,
    mlp: "layers" in net ? { layers: net.layers, alpha: net.alpha, tanh: net.tanh, embedding } : null,
    dcgan: "up14" in net ? { project: net.project, up14: net.up14, up28: net.up28, c7: net.c7 } : null,
    run(latents, labels = null) {
      const n = latents.length / model.latent_dim;
      if (embedding && (!labels || labels.length !== n))
        throw new Error("this model is conditional: one digit per sample");
      const result = tf.tidy(() => {
        let x = tf.tensor2d(latents, [n, model.latent_dim]);
        if (embedding) x = tf.concat([x, tf.gather(embedding, tf.tensor1d(labels, "int32"))], 1);
        return tf.reshape(body(x), [n, outputSize]);
      });
      const values = result.dataSync();
      result.dispose();
      return values;
    },
  };
}
