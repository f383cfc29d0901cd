import type { Key } from './keys.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * The bytes of a file stored under a long (cut) name: the key's length in bytes (4, big-endian),
 * the key as UTF-8 JSON, then the data. The name cannot give the key back, so the file does.
 */
export function wrap(key: Key, data: Uint8Array): Uint8Array {
  const head = encoder.encode(JSON.stringify(key))
  const bytes = new Uint8Array(4 + head.length + data.length)
  new DataView(bytes.buffer).setUint32(0, head.length)
  bytes.set(head, 4)
  bytes.set(data, 4 + head.length)
  return bytes
}

/** The key and data of a wrapped file; undefined when the bytes are not one. */
export function unwrap(bytes: Uint8Array): { key: Key; data: Uint8Array } | undefined {
  if (bytes.length < 4) return undefined
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0)
  if (4 + length > bytes.length) return undefined
  try {
    const key: unknown = JSON.parse(decoder.decode(bytes.subarray(4, 4 + length)))
    if (!Array.isArray(key) || !key.every((part) => typeof part === 'string')) return undefined
    return { key, data: bytes.slice(4 + length) }
  } catch {
    return undefined
  }
}

/** Whether `key` starts with every part of `prefix`. */
export function startsWith(key: Key, prefix: Key): boolean {
  return prefix.length <= key.length && prefix.every((part, i) => key[i] === part)
}

/** Whether two keys are the same path. */
export const sameKey = (a: Key, b: Key): boolean => a.length === b.length && startsWith(a, b)
