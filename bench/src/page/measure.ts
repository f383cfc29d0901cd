import type { BurstRun } from '../results.js'
import { payload, sameBytes, stamp, stampOf } from './bytes.js'

/** What a contender does: its own save and load, nothing more. Runs wherever its clock runs. */
export interface Ops {
  save(file: string, bytes: Uint8Array<ArrayBuffer>): Promise<unknown>
  load(file: string): Promise<unknown>
}

export interface Measured {
  save(size: number, variant: number): Promise<number>
  load(size: number, variant: number): Promise<{ ms: number; same: boolean }>
  burst(count: number, size: number): Promise<BurstRun>
  /** Makes the inputs of `count` saves in a row ahead of time, so that only the saves run while they are watched. */
  prepareSeries(count: number, size: number): Promise<void>
  runSeries(): Promise<{ ms: number; errors: number }>
  /** Whether the file holds the last save of the series, byte for byte. */
  checkSeries(): Promise<boolean>
}

/**
 * Times `ops` on payloads of this context. Every save gets a buffer of its own, written before the
 * clock starts, as an app's new content would be: a transferring save detaches it, and a buffer
 * written over and over would flatter whoever reuses it (it stays warm in the CPU's caches).
 */
export function measured(ops: Ops): Measured {
  let series: { size: number; count: number; inputs: Uint8Array<ArrayBuffer>[] } | undefined

  const variantOf = (size: number, variant: number) => stamp(payload(size).slice(), variant) as Uint8Array<ArrayBuffer>

  return {
    async save(size, variant) {
      const bytes = variantOf(size, variant)
      const start = performance.now()
      await ops.save(`${size}.bin`, bytes)
      return performance.now() - start
    },

    async load(size, variant) {
      const start = performance.now()
      const loaded = await ops.load(`${size}.bin`)
      const ms = performance.now() - start
      return { ms, same: sameBytes(loaded, stamp(payload(size), variant)) }
    },

    async burst(count, size) {
      const inputs = Array.from({ length: count }, (_, i) => variantOf(size, i))
      const start = performance.now()
      const outcomes = await Promise.allSettled(inputs.map((bytes) => ops.save('burst.bin', bytes)))
      const ms = performance.now() - start
      const errorNames: Record<string, number> = {}
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected')
          errorNames[errorName(outcome.reason)] = (errorNames[errorName(outcome.reason)] ?? 0) + 1
      }
      const loaded = await ops.load('burst.bin').catch(() => undefined)
      const landed = loaded instanceof Uint8Array ? stampOf(loaded) : -1
      const acknowledged = outcomes[landed]?.status === 'fulfilled'
      const same = acknowledged && sameBytes(loaded, stamp(payload(size), landed))
      const errors = outcomes.filter((outcome) => outcome.status === 'rejected').length
      return { ms, errors, errorNames, landed, same }
    },

    async prepareSeries(count, size) {
      series = { size, count, inputs: Array.from({ length: count }, (_, i) => variantOf(size, i)) }
    },

    async runSeries() {
      const { inputs } = series!
      series!.inputs = []
      let errors = 0
      const start = performance.now()
      for (const bytes of inputs) await ops.save('series.bin', bytes).catch(() => errors++)
      return { ms: performance.now() - start, errors }
    },

    async checkSeries() {
      const { size, count } = series!
      const loaded = await ops.load('series.bin').catch(() => undefined)
      return sameBytes(loaded, stamp(payload(size), count - 1))
    },
  }
}

/** A short name for a rejection: the StorageError code and the browser's error name where there are. */
export function errorName(error: unknown): string {
  const { name, code, cause } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: string
    code?: unknown
    cause?: { name?: string }
  }
  // DOMException has a numeric legacy `code`; only StorageError's string code says something.
  if (typeof code === 'string') return cause?.name ? `${code} (${cause.name})` : code
  return name ?? String(error)
}
