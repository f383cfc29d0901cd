import type { Verdict } from './payload.js'

/** Where a trial works: a driver by name, its own namespace (directory or database), one file. */
export interface Target {
  driver: string
  place: string
  file: string
}

/** What the lab page asks its worker. Plain data, so any browser automation can pass it along. */
export type LabRequest =
  | ({ op: 'save'; seq: number; length: number } & Target)
  | ({ op: 'load' } & Target)
  | ({ op: 'loop'; from: number; maxLength: number } & Target)
  | ({ op: 'contend'; seqs: number[]; maxLength: number } & Target)
  | { op: 'inspect'; place: string }
  /** Handled by the page itself, for browsers no automation drives: another lab tab at `url`, or this tab closed. */
  | { op: 'open'; url: string }
  | { op: 'close' }

export interface ContendResult {
  errors: string[]
  /** The last save this worker made: the file must end up holding this one or another worker's last. */
  last: { seq: number; length: number }
}

export interface Replies {
  save: null
  load: Verdict
  loop: never
  contend: ContendResult
  inspect: string[]
  open: null
  close: null
}

/**
 * What the worker's save loop reports. `started` is sent before a save starts, and the save
 * waits until the page confirms that whoever watches has recorded it; `acked` after it resolved.
 */
export type LabEvent = { event: 'started'; seq: number; length: number } | { event: 'acked'; seq: number }

export type WorkerMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string }
  | LabEvent

export type PageMessage = { id: number; request: LabRequest } | { go: number }
