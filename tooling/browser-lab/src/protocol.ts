import type { AdoptionReport } from '@stowage/core/driver'
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
  /** `close`: close the store after the load, so that its handles and locks are released by the reply. */
  | ({ op: 'load'; close?: boolean } & Target)
  | ({ op: 'loop'; from: number; maxLength: number; removeEvery?: number } & Target)
  | ({ op: 'contend'; seqs: number[]; maxLength: number } & Target)
  | { op: 'inspect'; place: string }
  | { op: 'seed'; driver: string; place: string; copies: Copy[] }
  | ({ op: 'adopt'; settleMs?: number } & Tiers)
  | ({ op: 'survey'; files: string[] } & Tiers)

/** A payload saved as `file`: save `seq`, `length` bytes long. */
export interface Copy {
  file: string
  seq: number
  length: number
}

/** An adoption trial's two drivers, each in its own namespace under `place`: `tierPlace(place, driver)`. */
export interface Tiers {
  serving: string
  other: string
  place: string
}

/** What a load found: the file's verdict (NOT_FOUND among them), or the error it failed with. */
export type Loaded = { verdict: Verdict } | { failed: string }

/** What the serving driver loads for each file, and what the other loads for each file it still holds. */
export interface Survey {
  found: Record<string, Loaded>
  inOther: Record<string, Loaded>
}

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
  seed: null
  adopt: AdoptionReport
  survey: Survey
}

/** Whether the lab's driver of that name keeps its files in IndexedDB (idb and its variants). */
export const isIndexedDB = (driver: string) => driver.startsWith('idb')

/** Where `driver` keeps an adoption trial's files: each tier its own directory or database. */
export const tierPlace = (place: string, driver: string) => `${place}-${driver}`

/**
 * What the worker's save loop emits. `started` is sent before a save starts, and the save
 * waits until the page confirms that whoever watches has recorded it; `acked` after it resolved.
 * With the loop's `removeEvery: n`, every seq that n divides is a remove of the file instead of a
 * save: announced and acknowledged the same way, its `started` marked `remove` (length 0).
 */
export type LabEvent =
  | { event: 'started'; seq: number; length: number; remove?: true }
  | { event: 'acked'; seq: number }
