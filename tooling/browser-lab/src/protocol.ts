import type { Verdict } from './payload.js'

/** Where a trial works: a driver by name, its own namespace (directory or database), one file. */
export interface Target {
  driver: string
  place: string
  file: string
}

/** What the test asks the lab page's worker (each `op` is a case of the worker; see lab.worker.ts). */
export type LabRequest =
  | ({ op: 'save'; seq: number; length: number } & Target)
  | ({ op: 'load' } & Target)
  | ({ op: 'loop'; from: number; maxLength: number } & Target)
  | ({ op: 'contend'; seqs: number[]; maxLength: number } & Target)
  | { op: 'inspect'; place: string }

export interface ContendResult {
  errors: string[]
  /** The last save this worker made: the file must end up holding this one or another worker's last. */
  last: { seq: number; length: number }
  /** When this worker's first save started and its last one settled, in ms since the epoch. */
  span: { from: number; to: number }
}

export interface Replies {
  save: null
  load: Verdict
  loop: never
  contend: ContendResult
  inspect: string[]
}

/**
 * What the worker's save loop emits. `started` is sent before a save starts, and the save
 * waits until the page confirms that whoever watches has recorded it; `acked` after it resolved.
 */
export type LabEvent = { event: 'started'; seq: number; length: number } | { event: 'acked'; seq: number }
