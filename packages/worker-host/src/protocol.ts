import type { ErrorCode } from '@stowage/core'

/**
 * Every message between `connect` and `serve`. Bump VERSION when a shape changes meaning; both
 * ends ignore messages of another version (or of another library sharing the worker).
 */
export const VERSION = 1

export type Request =
  | { stowage: typeof VERSION; id: number; op: 'load' | 'remove'; file: string }
  | { stowage: typeof VERSION; id: number; op: 'save'; file: string; data: Uint8Array }
  | { stowage: typeof VERSION; id: number; op: 'list' | 'info' | 'close' }
  /** Asks the worker to hold the Web Lock `life` until it dies, so the client can learn of its death. */
  | { stowage: typeof VERSION; id: number; op: 'hello'; life: string }

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

export interface Info {
  driver: string | null
  probes: ProbeResult[]
}

export type Reply =
  | { stowage: typeof VERSION; id: number; ok: true; value?: unknown }
  | { stowage: typeof VERSION; id: number; ok: false; error: WireError }

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
  typeof data === 'object' && data !== null && (data as { stowage?: unknown }).stowage === VERSION
