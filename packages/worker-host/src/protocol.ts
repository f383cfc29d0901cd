import type { Durability, ErrorCode } from '@stowage/core'
import type { AdoptionReport } from '@stowage/core/driver'

/**
 * Every message between `connect` and `serve`. Bump VERSION when a shape changes meaning; both
 * ends ignore messages of another version (or of another library sharing the worker).
 */
export const VERSION = 2

export interface Request {
  stowage: typeof VERSION
  id: number
  /**
   * The Store method to call, or 'info', or 'hello' (sent once by the client at start), or
   * 'abort': the caller's signal fired for the request `id`, which answers as it ends.
   */
  op: 'load' | 'save' | 'remove' | 'list' | 'close' | 'info' | 'hello' | 'abort'
  /** For load, save and remove. */
  file?: string
  /** For save. */
  data?: Uint8Array
  /** For save, when the caller named one; otherwise the worker's default (`serve`'s option). */
  durability?: Durability
  /** Set when the caller passed a signal: an 'abort' for this id may follow. */
  abortable?: true
  /** For hello: a Web Lock the worker holds until it dies, so that the client can learn of its death. */
  life?: string
}

export interface WireError {
  code: ErrorCode
  message: string
  file?: string
  driver?: string
  cause?: { name: string; message: string }
}

export interface ProbeResult {
  id: string
  ok: boolean
  reason?: string
}

/**
 * Which driver serves, why the ones before it do not, and what the adoption sweep at start found
 * in the other drivers: files copied into the serving one (`adopted`), older copies dropped
 * (`superseded`), copies kept until the serving copy settles (`pending`) and files left where
 * they were (`failed`, with the reason).
 */
export interface Info extends AdoptionReport {
  driver: string | null
  probes: ProbeResult[]
  /** Whether the serving driver's strict saves are on disk when they resolve (see Driver.flushes); false when nothing serves. */
  flushes: boolean
}

/** The answer to the request `id`: its value, or the error it failed with. */
export interface Reply {
  stowage: typeof VERSION
  id: number
  value?: unknown
  error?: WireError
}

/** A change made by another context, relayed by the worker to its page. */
export interface ChangeMessage {
  stowage: typeof VERSION
  change: Change
}

export interface Change {
  file: string
  op: 'save' | 'remove'
}

export const isMessage = (data: unknown): data is { stowage: number } =>
  (data as { stowage?: unknown } | null | undefined)?.stowage === VERSION
