import { StorageError } from './errors.js'

/**
 * Names that start with this prefix belong to drivers for their own bookkeeping (slots, probe
 * files, journals). Apps cannot use them, and `list()` never shows them.
 */
export const RESERVED_PREFIX = '.stowage'

export const MAX_NAME_BYTES = 255

const encoder = new TextEncoder()
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Throws INVALID_NAME unless `file` is a name every driver can store under, unchanged. */
export function assertValidName(file: unknown, driver?: string): asserts file is string {
  const problem = nameProblem(file)
  if (problem) {
    const named = typeof file === 'string'
    throw new StorageError('INVALID_NAME', `Invalid file name ${named ? JSON.stringify(file) : String(file)}: ${problem}`, {
      file: named ? file : undefined,
      driver,
    })
  }
}

function nameProblem(file: unknown): string | undefined {
  if (typeof file !== 'string') return `expected a string, got ${typeof file}`
  if (/^\.{0,2}$/.test(file)) return 'it is empty, "." or ".."'
  if (/[/\\\0]/.test(file)) return 'it contains "/", "\\" or NUL'
  // A lone surrogate becomes U+FFFD on its way to the file system, so two names would meet.
  if (LONE_SURROGATE.test(file)) return 'it contains a lone UTF-16 surrogate'
  if (encoder.encode(file).length > MAX_NAME_BYTES) return `it is over ${MAX_NAME_BYTES} UTF-8 bytes`
  if (file.startsWith(RESERVED_PREFIX)) return `names starting with "${RESERVED_PREFIX}" are reserved for drivers`
  return undefined
}

/**
 * The bytes to store: exactly a Uint8Array's view, or a whole ArrayBuffer. Anything else, and a
 * detached buffer (which would silently store nothing), is INVALID_DATA.
 */
export function toBytes(data: unknown, file?: string, driver?: string): Uint8Array {
  const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : undefined
  const problem = !bytes
    ? `expected a Uint8Array or an ArrayBuffer, got ${Object.prototype.toString.call(data).slice(8, -1)}`
    : isDetached(bytes.buffer)
      ? 'its buffer is detached (transferred already?)'
      : undefined
  if (problem) throw new StorageError('INVALID_DATA', `Invalid data for ${JSON.stringify(file)}: ${problem}`, { file, driver })
  return bytes!
}

function isDetached(buffer: ArrayBufferLike): boolean {
  try {
    new Uint8Array(buffer)
    return false
  } catch {
    return true
  }
}
