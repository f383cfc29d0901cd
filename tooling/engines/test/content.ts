/**
 * Bytes that stand for one save in browser tests, derived from a seed so that Node and the page
 * agree on them without sending them, and their digest, which is what crosses back.
 */
export function bytesOf(seed: number, length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length)
  let state = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    bytes[i] = state & 255
  }
  return bytes
}

/** `length:sha256-hex` of the bytes: equal digests mean equal bytes. */
export async function digest(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return `${bytes.length}:${[...hash].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`
}
