// Pictures from samples, pixel for pixel as gandemo/core/plots.py's image_grid makes them: tiles of 28x28 in
// [-1, 1] mapped to round((x + 1) * 127.5), 2 px of black between and around, each pixel scale x scale.

export const TILE = 28;
export const PADDING = 2;

/** Width and height of the picture of n tiles, cols a row, enlarged scale times. */
export function gridSize(n, cols, scale = 1, padding = PADDING) {
  const rows = Math.max(1, Math.ceil(n / cols));
  return [(cols * (TILE + padding) + padding) * scale, (rows * (TILE + padding) + padding) * scale];
}

/** RGBA ImageData-ready bytes { width, height, data } of n tiles (values: n * 784 floats). */
export function tileImage(values, n, cols, scale = 1, padding = PADDING) {
  const [width, height] = gridSize(n, cols, scale, padding);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255; // opaque black
  for (let t = 0; t < n; t++) {
    const top = (padding + Math.floor(t / cols) * (TILE + padding)) * scale;
    const left = (padding + (t % cols) * (TILE + padding)) * scale;
    for (let y = 0; y < TILE; y++) {
      for (let x = 0; x < TILE; x++) {
        const v = Math.min(1, Math.max(-1, values[t * TILE * TILE + y * TILE + x]));
        const grey = Math.round((v + 1) * 127.5);
        for (let dy = 0; dy < scale; dy++) {
          let at = ((top + y * scale + dy) * width + left + x * scale) * 4;
          for (let dx = 0; dx < scale; dx++, at += 4) data[at] = data[at + 1] = data[at + 2] = grey;
        }
      }
    }
  }
  return { width, height, data };
}

/** Draw { width, height, data } into a canvas, sizing it to the picture. */
export function paint(canvas, picture) {
  if (canvas.width !== picture.width) canvas.width = picture.width;
  if (canvas.height !== picture.height) canvas.height = picture.height;
  canvas.getContext("2d").putImageData(new ImageData(picture.data, picture.width, picture.height), 0, 0);
}
