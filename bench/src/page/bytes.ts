/** Random bytes; crypto.getRandomValues fills at most 64 KiB a call. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length)
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65536)))
  }
  return bytes
}

const payloads = new Map<number, Uint8Array<ArrayBuffer>>()

/** This context's random payload of `size` bytes, made once: every save of that size starts from it. */
export function payload(size: number): Uint8Array<ArrayBuffer> {
  const bytes = payloads.get(size) ?? randomBytes(size)
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
