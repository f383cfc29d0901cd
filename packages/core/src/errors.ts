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
  'IO',
]

export interface ErrorContext {
  file?: string
  driver?: string
  cause?: unknown
}

/** The one error type callers see: a code, the file and driver involved, and the original error as `cause`. */
export class StorageError extends Error {
  readonly code: ErrorCode
  readonly file?: string
  readonly driver?: string
  override readonly cause?: unknown

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message)
    this.name = 'StorageError'
    this.code = code
    if (context.file !== undefined) this.file = context.file
    if (context.driver !== undefined) this.driver = context.driver
    if (context.cause !== undefined) this.cause = context.cause
  }
}

/**
 * True for a StorageError, optionally of one code. Also recognises StorageErrors from another
 * copy of this package (two bundles, another realm), which `instanceof` would miss.
 */
export function isStorageError(error: unknown, code?: ErrorCode): error is StorageError {
  const looksLikeOne =
    error instanceof StorageError ||
    (errorName(error) === 'StorageError' &&
      ERROR_CODES.includes((error as { code?: ErrorCode }).code as ErrorCode))
  return looksLikeOne && (code === undefined || (error as StorageError).code === code)
}

const CODE_BY_DOM_NAME: Record<string, ErrorCode> = {
  NotFoundError: 'NOT_FOUND',
  QuotaExceededError: 'QUOTA_EXCEEDED',
  NoModificationAllowedError: 'LOCKED',
}

/**
 * Turns anything a driver threw into a StorageError. A StorageError keeps its code and gains the
 * missing file and driver; a DOMException is mapped by name; the rest is IO. While probing, every
 * failure means the driver cannot serve here, so it is UNSUPPORTED.
 */
export function toStorageError(
  error: unknown,
  context: { file?: string; driver?: string; probing?: boolean } = {},
): StorageError {
  if (isStorageError(error)) {
    const file = error.file ?? context.file
    const driver = error.driver ?? context.driver
    if (file === error.file && driver === error.driver) return error
    return new StorageError(error.code, error.message, { file, driver, cause: error.cause })
  }
  const name = errorName(error)
  const code: ErrorCode = context.probing ? 'UNSUPPORTED' : (name && CODE_BY_DOM_NAME[name]) || 'IO'
  return new StorageError(code, describe(error, context.file), {
    file: context.file,
    driver: context.driver,
    cause: error,
  })
}

function errorName(error: unknown): string | undefined {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined
  return typeof name === 'string' ? name : undefined
}

function describe(error: unknown, file: string | undefined): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined
  const name = errorName(error)
  const what = typeof message !== 'string' ? String(error) : name && name !== 'Error' ? `${name}: ${message}` : message
  return file === undefined ? what : `${file}: ${what}`
}
