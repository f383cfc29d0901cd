/** A growable byte buffer that writes unsigned varints (LEB128), zigzag varints and UTF-8 strings. */
export function createWriter(initial = 1024) {
  let buffer = new Uint8Array(initial)
  let length = 0
  const utf8 = new TextEncoder()

  function reserve(extra: number): void {
    if (length + extra <= buffer.length) return
    const grown = new Uint8Array(Math.max(buffer.length * 2, length + extra))
    grown.set(buffer.subarray(0, length))
    buffer = grown
  }

  function uint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a varint: ${value}`)
    reserve(8)
    // Division, not bit shifts: shifts would cut values above 2^31.
    while (value >= 0x80) {
      buffer[length++] = (value % 0x80) | 0x80
      value = Math.floor(value / 0x80)
    }
    buffer[length++] = value
  }

  function bytes(values: Uint8Array): void {
    reserve(values.length)
    buffer.set(values, length)
    length += values.length
  }

  return {
    bytes,
    uint,
    int: (value: number) => uint(value < 0 ? -2 * value - 1 : 2 * value),
    string(value: string) {
      const text = utf8.encode(value)
      uint(text.length)
      bytes(text)
    },
    finish: () => buffer.slice(0, length),
  }
}

/** Reads what createWriter wrote; every read past the end or malformed throws. */
export function createReader(buffer: Uint8Array) {
  let offset = 0
  const utf8 = new TextDecoder('utf-8', { fatal: true })

  function byte(): number {
    const value = buffer[offset++]
    if (value === undefined) throw new RangeError('unexpected end of data')
    return value
  }

  function uint(): number {
    let value = 0
    for (let scale = 1; ; scale *= 0x80) {
      const next = byte()
      value += (next & 0x7f) * scale
      if (next < 0x80) break
      if (scale > 2 ** 42) throw new RangeError('varint too long')
    }
    return value
  }

  return {
    byte,
    uint,
    int() {
      const raw = uint()
      return raw % 2 ? -(raw + 1) / 2 : raw / 2
    },
    string() {
      const size = uint()
      if (offset + size > buffer.length) throw new RangeError('string runs past the end')
      const text = utf8.decode(buffer.subarray(offset, offset + size))
      offset += size
      return text
    },
    done: () => offset === buffer.length,
  }
}
