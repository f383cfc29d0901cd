/**
 * Values as they cross between Node and the page, which carry only JSON: bytes as base64 with the
 * name of their type (so an ArrayBuffer or a plain array cannot pass for a Uint8Array), and
 * `undefined` as itself (JSON would make it null).
 */
export function toWire(value: unknown): unknown {
  if (value === undefined) return { $undefined: true }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    const bytes =
      value instanceof ArrayBuffer
        ? new Uint8Array(value)
        : new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    return { $bytes: toBase64(bytes), type: Object.prototype.toString.call(value).slice(8, -1) }
  }
  if (Array.isArray(value)) return value.map(toWire)
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]))
  return value
}

/** The value `toWire` carried: a Uint8Array only where one was sent, else a `{ wrongType }` that equals nothing expected. */
export function fromWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromWire)
  if (!value || typeof value !== 'object') return value
  if ('$undefined' in value) return undefined
  if ('$bytes' in value) {
    const { $bytes, type } = value as { $bytes: string; type: string }
    const bytes = fromBase64($bytes)
    return type === 'Uint8Array' ? bytes : { wrongType: type, bytes }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v)]))
}

function toBase64(bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
