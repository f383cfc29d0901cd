/** Every failure Stowage reports carries one of these codes. The union is closed. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'UNSUPPORTED'
  | 'QUOTA_EXCEEDED'
  | 'LOCKED'
  | 'INVALID_NAME'
  | 'INVALID_DATA'
  | 'CORRUPT'
  | 'CLOSED'
  | 'ABORTED'
  | 'IO'

export const ERROR_CODES: readonly ErrorCode[] = [
  'NOT_FOUND',
  'UNSUPPORTED',
  'QUOTA_EXCEEDED',
  'LOCKED',
  'INVALID_NAME',
  'INVALID_DATA',
  'CORRUPT',
  'CLOSED',
  'ABORTED',
  'IO',
]

export interface ErrorContext {
  file?: string
  driver?: string
  cause?: unknown
}

/** The one error type callers see: a code, the file and driver involved, and the original error as `cause`. */
export class StorageError extends Error {
  declare readonly code: ErrorCode
  declare readonly file?: string
  declare readonly driver?: string
  declare readonly cause?: unknown

  constructor(code: ErrorCode, message: string, { file, driver, cause }: ErrorContext = {}) {
    super(message)
    Object.assign(this, { name: 'StorageError', code, file, driver, cause })
  }
}

/**
 * True for a StorageError, optionally of one code. Also recognises StorageErrors from another
 * copy of this package (two bundles, another realm), which `instanceof` would miss.
 */
export function isStorageError(error: unknown, code?: ErrorCode): error is StorageError {
  const looksLikeOne =
    error instanceof StorageError ||
    (hasName(error, 'StorageError') && ERROR_CODES.includes((error as StorageError).code))
  return looksLikeOne && (code === undefined || (error as StorageError).code === code)
}

/** True when `error` (a DOMException, usually) has one of these names. */
export function hasName(error: unknown, ...names: string[]): boolean {
  return names.includes(nameOf(error)!)
}

const CODE_BY_DOM_NAME: Record<string, ErrorCode> = {
  NotFoundError: 'NOT_FOUND',
  QuotaExceededError: 'QUOTA_EXCEEDED',
  NoModificationAllowedError: 'LOCKED',
}

/**
 * Turns anything a driver threw into a StorageError. A StorageError keeps its code and gains the
 * missing file and driver; a DOMException is mapped by name; the rest is IO. While probing, every
 * failure but CLOSED means the driver cannot serve here, so it is UNSUPPORTED.
 */
export function toStorageError(
  error: unknown,
  { file, driver, probing }: { file?: string; driver?: string; probing?: boolean } = {},
): StorageError {
  if (isStorageError(error)) {
    const { code, message, cause } = error
    const context = { file: error.file ?? file, driver: error.driver ?? driver, cause }
    const as = probing && code !== 'CLOSED' ? 'UNSUPPORTED' : code
    return as === code && context.file === error.file && context.driver === error.driver
      ? error
      : new StorageError(as, message, context)
  }
  const name = nameOf(error)
  const message = (error as { message?: unknown } | null | undefined)?.message
  const what = typeof message !== 'string' ? String(error) : name && name !== 'Error' ? `${name}: ${message}` : message
  const code = probing ? 'UNSUPPORTED' : (CODE_BY_DOM_NAME[name!] ?? 'IO')
  return new StorageError(code, file === undefined ? what : `${file}: ${what}`, { file, driver, cause: error })
}

function nameOf(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null | undefined)?.name
  return typeof name === 'string' ? name : undefined
}
