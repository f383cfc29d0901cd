import { xxh32 } from './xxh32.js'

/**
 * The 'checked' format: a 16-byte header, then exactly the saved bytes.
 *
 *   magic "STA1" (0–4) | xxHash32 of the bytes (4–8) | their length, float64 (8–16)
 *
 * A file whose header does not describe what follows it (empty, short, zeroed, or bytes of
 * another save under it: what a power cut leaves of a file the browser never flushed) is no
 * copy of any save. Little-endian throughout.
 */
export const HEADER_BYTES = 16

const MAGIC = 0x31415453 // "STA1" read little-endian

/** The header that goes before `data`. */
export function headerOf(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const header = new Uint8Array(HEADER_BYTES)
  const view = new DataView(header.buffer)
  view.setUint32(0, MAGIC, true)
  view.setUint32(4, xxh32(data), true)
  view.setFloat64(8, data.byteLength, true)
  return header
}

/** The bytes `stored` holds after a header that describes them, or undefined when it has no such header. */
export async function bytesAfterHeader(stored: Blob): Promise<Uint8Array | undefined> {
  if (stored.size < HEADER_BYTES) return undefined
  const view = new DataView(await stored.slice(0, HEADER_BYTES).arrayBuffer())
  if (view.getUint32(0, true) !== MAGIC || view.getFloat64(8, true) !== stored.size - HEADER_BYTES) return undefined
  const data = new Uint8Array(await stored.slice(HEADER_BYTES).arrayBuffer())
  return xxh32(data) === view.getUint32(4, true) ? data : undefined
}
