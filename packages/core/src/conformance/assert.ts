import { isStorageError, type ErrorCode } from '../errors.js'

export class ConformanceError extends Error {
  override name = 'ConformanceError'
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message)
}

export function checkBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  check(actual instanceof Uint8Array, `${what}: expected a Uint8Array, got ${Object.prototype.toString.call(actual)}`)
  check(actual.length === expected.length, `${what}: expected ${expected.length} bytes, got ${actual.length}`)
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i])
      throw new ConformanceError(`${what}: byte ${i} is ${actual[i]}, expected ${expected[i]}`)
  }
}

/** Awaits `promise` and checks that it rejects with a StorageError of `code`. */
export async function checkRejects(promise: Promise<unknown>, code: ErrorCode, what: string): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    const got = isStorageError(error) ? error.code : String(error)
    check(isStorageError(error, code), `${what}: expected a StorageError ${code}, got ${got}`)
    return error
  }
  throw new ConformanceError(`${what}: expected a StorageError ${code}, but it resolved`)
}

/** Random bytes; crypto.getRandomValues fills at most 64 KiB a call. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length)
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65536)))
  }
  return bytes
}
