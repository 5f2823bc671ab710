// A checkpoint folder read in the browser exactly as gandemo/core/checkpoints.py reads it: its config (JSON) plus
// its weights (safetensors: a little-endian u64 length, then a plain JSON header, then the bytes). The files'
// names are the library's (the site's `files`, from checkpoints.file_names): they label what a message reports.

/** The tensors of a .safetensors file: name -> { dtype, shape, data } (float32, int32 and uint8 data as typed arrays). */
export function parseSafetensors(buffer, name = "the weights") {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < 8)
    throw new Error(`${name} is too short to be safetensors`);
  const view = new DataView(buffer);
  const length = Number(view.getBigUint64(0, true));
  if (length <= 0 || 8 + length > buffer.byteLength) throw new Error(`${name} has a header longer than the file`);
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, length)));
  } catch {
    throw new Error(`${name} has a header that is not JSON`);
  }
  const base = 8 + length;
  const tensors = {};
  for (const [key, entry] of Object.entries(header)) {
    if (key === "__metadata__") continue;
    const [begin, end] = entry.data_offsets;
    if (!(0 <= begin && begin <= end && base + end <= buffer.byteLength))
      throw new Error(`${name}: ${key} lies outside the file`);
    let data = null;
    const Typed = { F32: Float32Array, I32: Int32Array, U8: Uint8Array }[entry.dtype];
    if (Typed) {
      const bytes = buffer.slice(base + begin, base + end); // a copy: aligned for the typed array
      data = new Typed(bytes);
      const count = entry.shape.reduce((a, b) => a * b, 1);
      if (data.length !== count)
        throw new Error(`${name}: ${key} holds ${data.length} values for shape ${entry.shape}`);
    }
    tensors[key] = { dtype: entry.dtype, shape: entry.shape, data };
  }
  return tensors;
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not fetch ${what} (${error.message})`);
  }
  if (!response.ok) throw new Error(`could not fetch ${what} (HTTP ${response.status})`);
  return response;
}

/** { config, tensors } of the folder `name` whose files lie at urls.config and urls.weights (`files`: their names). */
export async function loadCheckpoint(urls, name, files) {
  const config = await (await fetchOk(urls.config, `${name}/${files.config}`)).json();
  const weights = `${name}/${files.weights}`;
  return { config, tensors: parseSafetensors(await (await fetchOk(urls.weights, weights)).arrayBuffer(), weights) };
}

/** The float32 tensors of one more .safetensors file of a folder (a critic map, a discriminator). */
export async function loadTensors(url, what) {
  return parseSafetensors(await (await fetchOk(url, what)).arrayBuffer(), what);
}
