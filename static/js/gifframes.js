// The GIF's frames, encoded for an animation whose frames differ little: the contour, axes,
// legend and title are the same in every frame; only the paths grow. So:
// - one palette for the whole GIF (GIF89a's global colour table), quantized once from a few
//   frames (the exporter gives the last, which holds the contour, the legend and every path
//   drawn in full, and the middle one, for the moving markers over other backgrounds), instead
//   of a palette quantized per frame;
// - each frame after the first stores only the pixels that changed since the one before; the
//   others are the palette's transparent entry over a frame left in place (disposal method 1,
//   "do not dispose"), so the picture shown, frame after frame, is each frame in full (the
//   contour in every one), and the encoder has long runs of one index to compress;
// - a colour is mapped to its nearest palette entry once (a cache by exact 24-bit colour), and
//   an unchanged pixel is not looked at again.
// Pure over RGBA arrays: no DOM, so a benchmark or a test can run it on any frames.

const PALETTE_COLOURS = 255;  // and one more: the transparent entry

export function gifFrames({ GIFEncoder, quantize }, paletteFrames, width, height) {
  const source = new Uint8ClampedArray(paletteFrames.reduce((n, frame) => n + frame.length, 0));
  paletteFrames.reduce((offset, frame) => { source.set(frame, offset); return offset + frame.length; }, 0);
  const palette = quantize(source, PALETTE_COLOURS);
  const transparent = palette.length;
  const table = [...palette, [0, 0, 0]];
  while (table.length & (table.length - 1)) table.push([0, 0, 0]);  // a GIF table has 2^k entries
  const gif = GIFEncoder();
  const nearest = new Map();
  const lookup = (colour) => {
    let index = nearest.get(colour);
    if (index === undefined) {
      const [r, g, b] = [colour & 0xff, (colour >> 8) & 0xff, (colour >> 16) & 0xff];
      let best = Infinity;
      for (let k = 0; k < palette.length; k++) {
        const [pr, pg, pb] = palette[k];
        const distance = (r - pr) ** 2 + (g - pg) ** 2 + (b - pb) ** 2;
        if (distance < best) [best, index] = [distance, k];
      }
      nearest.set(colour, index);
    }
    return index;
  };
  let previous = null;
  const indices = new Uint8Array(width * height);
  return {
    // One frame's RGBA pixels (its alpha ignored: frames are opaque), shown for `delay` ms.
    add(rgba, delay) {
      const pixels = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height);
      if (!previous) {
        for (let i = 0; i < pixels.length; i++) indices[i] = lookup(pixels[i] & 0xffffff);
        gif.writeFrame(indices, width, height, { palette: table, delay, dispose: 1 });
        previous = pixels.slice();
        return;
      }
      for (let i = 0; i < pixels.length; i++) {
        const colour = pixels[i];
        if (colour === previous[i]) {
          indices[i] = transparent;
        } else {
          indices[i] = lookup(colour & 0xffffff);
          previous[i] = colour;
        }
      }
      gif.writeFrame(indices, width, height, { delay, transparent: true, transparentIndex: transparent, dispose: 1 });
    },
    bytes() {
      gif.finish();
      previous = null;
      return gif.bytes();
    },
  };
}
