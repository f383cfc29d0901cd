import { describe, expect, it } from 'vitest'
import { useBrowser } from './browser.ts'

/**
 * Opt-in (`STOWAGE_AUTOMERGE_BENCH=<rounds> npx vitest run test/bench.chromium.node.test.ts`):
 * the official IndexedDB adapter and this adapter on each tier, timed on the page in turn, the
 * order rotated each round; prints the medians. Timings are not asserted.
 */
const rounds = Number(process.env.STOWAGE_AUTOMERGE_BENCH) || 0
const contenders = ['official-idb', 'opfs-sync', 'opfs-async', 'idb']
const CHANGES = 100
const DOC_CHANGES = 5000

const browser = useBrowser('chromium', 47854, 1)

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

describe('automerge-repo storage, timed on the page', () => {
  it.runIf(rounds)(
    `${CHANGES} changes each flushed, and the load of a ${DOC_CHANGES}-change document`,
    async () => {
      const results = new Map<string, { perChangeMs: number; loadMs: number; docBytes: number }[]>()
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < contenders.length; i++) {
          const contender = contenders[(round + i) % contenders.length]!
          const tab = browser.tabs()[0]!
          const perChangeMs = (await tab('bench: persist', contender, CHANGES)) as number
          const loaded = (await tab('bench: load', contender, DOC_CHANGES)) as { loadMs: number; docBytes: number }
          const result = { perChangeMs, ...loaded }
          results.set(contender, [...(results.get(contender) ?? []), result])
        }
      }
      const lines = [...results].map(([contender, runs]) => {
        const change = median(runs.map((run) => run.perChangeMs)).toFixed(2)
        const load = median(runs.map((run) => run.loadMs)).toFixed(1)
        return `| ${contender} | ${change} | ${load} | ${runs[0]!.docBytes} |`
      })
      console.log(
        ['| contender | ms per flushed change | ms to load the document | document bytes |', ...lines].join('\n'),
      )
      expect(results.size).toBe(contenders.length)
    },
    900_000,
  )
})
