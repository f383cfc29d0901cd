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
    throw new StorageError(
      'INVALID_NAME',
      `Invalid file name ${named ? JSON.stringify(file) : String(file)}: ${problem}`,
      {
        file: named ? file : undefined,
        driver,
      },
    )
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
  const invalid = (problem: string) =>
    new StorageError('INVALID_DATA', `Invalid data for ${JSON.stringify(file)}: ${problem}`, { file, driver })
  if (!(data instanceof Uint8Array || data instanceof ArrayBuffer)) {
    throw invalid(`expected a Uint8Array or an ArrayBuffer, got ${typeName(data)}`)
  }
  try {
    // Making a view throws on a detached buffer: the one check every engine has.
    const whole = new Uint8Array(data instanceof ArrayBuffer ? data : data.buffer)
    return data instanceof ArrayBuffer ? whole : data
  } catch {
    throw invalid('its buffer is detached (transferred already?)')
  }
}

/** What a value is, for messages: `Uint8Array`, `Null`, `Object`, `String`... */
export const typeName = (value: unknown): string => Object.prototype.toString.call(value).slice(8, -1)
