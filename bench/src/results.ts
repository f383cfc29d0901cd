/** What the Node side asks the page to run, and the raw results the page sends back. */

export interface BenchConfig {
  /** The contenders to run, by id; default every one. */
  contenders?: string[]
  /** Payload sizes in bytes, each with its number of timed rounds (one untimed warm-up round comes first). */
  sizes: { bytes: number; reps: number }[]
  /** Un-awaited saves to one file, `count` at once, repeated `rounds` times per contender. */
  burst: { count: number; bytes: number; rounds: number }
  /** Saves in a row while the page watches its own main thread. */
  gap: { count: number; bytes: number }
  /** Saves spaced as an app's autosave spaces them: one of `bytes` every `everyMs`, `count` times (the first untimed). */
  cadences: Cadence[]
  /** A new browser on the same profile, `reps` times per contender: from starting the contender to `bytes` loaded. */
  cold: { bytes: number; reps: number }
  /** Two tabs of one browser saving one file of `bytes` by turns, `turns` saves in all per contender (the first two untimed). */
  twoTabs: { bytes: number; turns: number }
  /** Any single step that takes longer counts as failed, so that nothing can hang the run. */
  stepTimeoutMs: number
}

export interface Cadence {
  bytes: number
  everyMs: number
  count: number
}

export type Group = 'stowage' | 'raw' | 'library'

export interface ContenderInfo {
  id: string
  label: string
  group: Group
  /** Where the clock runs: Stowage and the libraries on the page (the user's view), the raw APIs in their worker. */
  clock: 'page' | 'worker'
}

export interface SizeSamples {
  bytes: number
  /** Milliseconds of each timed save and load, in the order they ran. */
  save: number[]
  load: number[]
}

export interface BurstRun {
  ms: number
  errors: number
  /** Rejections counted by error name (and StorageError code where there is one). */
  errorNames: Record<string, number>
  /** Which of the saves the file holds afterwards (-1 when unreadable), and whether it is that save's bytes exactly. */
  landed: number
  same: boolean
}

export interface Gaps {
  /** Every interval between the callbacks of a setTimeout(0) chain, and between animation frames, in ms. */
  timeouts: number[]
  frames: number[]
}

export interface GapRun extends Gaps {
  /** How long the saves took in all, how many failed, and whether the file holds the last one exactly. */
  ms: number
  errors: number
  same: boolean
  /** The same watch for as long again with nothing running, right after: this run's baseline. */
  idle: Gaps
}

export interface Checks {
  passed: number
  failed: number
  failures: string[]
}

export interface ContenderResults {
  info: ContenderInfo
  sizes: SizeSamples[]
  /** Every byte-for-byte comparison of what was loaded with what was saved. */
  checks: Checks
  /** Saves or loads that threw, with the step they belonged to. */
  errors: string[]
  bursts: BurstRun[]
  gap: GapRun | null
  /** Per cadence of the config, the milliseconds of each timed save. */
  cadences: (Cadence & { save: number[] })[]
}

export interface PageResults {
  /** The engine and its version: "Chromium 156.0.8078.114", "Firefox 153.0". */
  browser: string
  userAgent: string
  crossOriginIsolated: boolean
  contenders: ContenderResults[]
}

/** What the cold-start trial starts alone in a new browser: the floor, Stowage's fastest tier and idb-keyval. */
export const COLD_STARTERS = ['floor', 'stowage-opfs-sync-transfer', 'idb-keyval']

/** What the two-tab trial runs, each contender in both tabs on one file: the tiers that share a file across tabs, and idb-keyval. */
export const TWO_TAB_CONTENDERS = [
  'stowage-opfs-sync-transfer',
  'stowage-opfs-sync-relaxed',
  'stowage-opfs-async-transfer',
  'stowage-idb-transfer',
  'idb-keyval',
]

/** Two tabs taking turns on one file: each timed save (on the page of the tab that made it), and whether the file ends holding the last. */
export interface TwoTabRun {
  id: string
  save: number[]
  same: boolean
  errors: string[]
}

/** One cold start: ms from starting the contender (its worker, handle or connection) to the file's bytes in hand, and whether they were right. */
export interface ColdRun {
  ms: number
  same: boolean
}
