/**
 * Pseudo-random bytes (xorshift32) from `seed`: incompressible like real content, and the same in
 * every context, so that a browser launched later can check what an earlier one saved.
 */
export function randomBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const words = new Uint32Array(Math.ceil(length / 4))
  let x = seed | 1
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    words[i] = x
  }
  return new Uint8Array(words.buffer, 0, length)
}

const payloads = new Map<number, Uint8Array<ArrayBuffer>>()

/** The payload of `size` bytes, made once per context: every save of that size starts from it. */
export function payload(size: number): Uint8Array<ArrayBuffer> {
  const bytes = payloads.get(size) ?? randomBytes(size, size)
  payloads.set(size, bytes)
  return bytes
}

/** Writes `variant` into the first four bytes, so that no two saves in a row store the same content. */
export function stamp(bytes: Uint8Array, variant: number): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset, 4).setUint32(0, variant)
  return bytes
}

export function stampOf(bytes: Uint8Array): number {
  return bytes.length < 4 ? -1 : new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0)
}

/** Byte-for-byte equality, four bytes a step where both views allow it. */
export function sameBytes(actual: unknown, expected: Uint8Array): boolean {
  if (!(actual instanceof Uint8Array) || actual.length !== expected.length) return false
  let start = 0
  if (actual.byteOffset % 4 === 0 && expected.byteOffset % 4 === 0) {
    const words = expected.length >>> 2
    const a = new Uint32Array(actual.buffer, actual.byteOffset, words)
    const b = new Uint32Array(expected.buffer, expected.byteOffset, words)
    for (let i = 0; i < words; i++) if (a[i] !== b[i]) return false
    start = words << 2
  }
  for (let i = start; i < expected.length; i++) if (actual[i] !== expected[i]) return false
  return true
}
