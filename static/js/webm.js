// A minimal WebM (Matroska) writer for one video track of encoded VP8/VP9 frames, after the
// Matroska specification (EBML elements: an ID, a size, a payload). The frames come from the
// browser's WebCodecs VideoEncoder with timestamps we set, so the file's timing is exactly
// frame k at k / fps, whatever the machine's speed. A cluster starts at every key frame.
const encoder = new TextEncoder();

function concat(parts) {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) { out.set(part, offset); offset += part.length; }
  return out;
}

function uint(value, bytes = 0) {
  const out = [];
  let rest = BigInt(Math.round(value));
  do { out.unshift(Number(rest & 0xffn)); rest >>= 8n; } while (rest > 0n || out.length < bytes);
  return Uint8Array.from(out);
}

function float64(value) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, value);
  return out;
}

// An element: its ID (marker bits included, as the specification writes IDs), its size as an
// 8-byte variable-length integer, its payload (bytes, a string, or child elements).
function element(id, payload) {
  const body = payload instanceof Uint8Array ? payload : typeof payload === "string" ? encoder.encode(payload) : concat(payload);
  const size = uint(body.length, 7);
  return concat([uint(id), Uint8Array.of(0x01), size.slice(-7), body]);
}

// chunks: [{timestamp (µs), key (bool), data (Uint8Array)}] in order; duration in ms.
export function webmFile({ codec, width, height, chunks, durationMs }) {
  const header = element(0x1A45DFA3, [
    element(0x4286, uint(1)), element(0x42F7, uint(1)), element(0x42F2, uint(4)), element(0x42F3, uint(8)),
    element(0x4282, "webm"), element(0x4287, uint(2)), element(0x4285, uint(2)),
  ]);
  const info = element(0x1549A966, [element(0x2AD7B1, uint(1e6)), element(0x4D80, "optviz"), element(0x5741, "optviz"),
                                     element(0x4489, float64(durationMs))]);
  const tracks = element(0x1654AE6B, [element(0xAE, [
    element(0xD7, uint(1)), element(0x73C5, uint(1)), element(0x83, uint(1)), element(0x9C, uint(0)),
    element(0x86, codec === "vp9" ? "V_VP9" : "V_VP8"),
    element(0xE0, [element(0xB0, uint(width)), element(0xBA, uint(height))]),
  ])]);
  const clusters = [];
  let current = null;
  for (const chunk of chunks) {
    const ms = Math.round(chunk.timestamp / 1000);
    if (!current || chunk.key || ms - current.start > 30000) {
      current = { start: ms, blocks: [element(0xE7, uint(ms))] };
      clusters.push(current);
    }
    const relative = new Uint8Array(2);
    new DataView(relative.buffer).setInt16(0, ms - current.start);
    current.blocks.push(element(0xA3, concat([Uint8Array.of(0x81), relative, Uint8Array.of(chunk.key ? 0x80 : 0), chunk.data])));
  }
  const segment = element(0x18538067, [info, tracks, ...clusters.map((cluster) => element(0x1F43B675, cluster.blocks))]);
  return new Blob([header, segment], { type: "video/webm" });
}
