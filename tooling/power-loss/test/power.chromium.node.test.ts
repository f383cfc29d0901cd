import { fileURLToPath } from 'node:url'
import { launchChromium } from '@stowage/browser-lab/src/chromium.ts'
import { createLab, type Lab } from '@stowage/browser-lab/src/lab.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeReport } from '../src/report.ts'
import type { Rule } from '../src/judge.ts'
import { lostByBrowser, powerTrial } from '../src/trial.ts'

/** STOWAGE_POWER_STATES=<n> for a long run: states generated per driver, and as many disks booted at most. */
const long = Number(process.env.STOWAGE_POWER_STATES ?? 0)
const seed = process.env.STOWAGE_POWER_SEED ? Number(process.env.STOWAGE_POWER_SEED) : undefined

let lab: Lab
beforeAll(async () => {
  lab = await createLab({
    port: 47821,
    worker: fileURLToPath(new URL('./lab.worker.ts', import.meta.url)),
    launch: launchChromium,
  })
})
afterAll(() => lab?.dispose())

describe('Chromium: the disk states a power cut could leave, each booted and loaded', () => {
  it('catches truncate-then-write (naive) leaving its file torn', async () => {
    const report = await powerTrial(lab, {
      driver: 'naive',
      saves: 3,
      states: 200,
      maxDisks: 20,
      untilCaught: true,
      seed,
    })
    console.log(describeReport(report))
    expect(report.lost.map(({ problem }) => problem)).not.toEqual([])
  })

  it('catches two slots whose header is written before the data is flushed (unflushed-data)', async () => {
    const report = await powerTrial(lab, {
      driver: 'unflushed-data',
      saves: 3,
      states: 200,
      maxDisks: 30,
      untilCaught: true,
      seed,
    })
    console.log(describeReport(report))
    expect(report.lost.map(({ problem }) => problem)).not.toEqual([])
  })

  // Strict where the browser API reaches fsync (sync handle flush, strict IndexedDB transactions);
  // relaxed on opfs-async, whose createWritable().close() never does on Chromium (TOOLCHAIN.md).
  const tiers: [string, Rule][] = [
    ['opfs-sync', 'strict'],
    ['idb', 'strict'],
    ['opfs-async', 'relaxed'],
  ]
  for (const [driver, rule] of tiers) {
    it(`${driver}, ${rule}: no state tears the file; each loss the browser's own, with evidence`, async () => {
      const report = await powerTrial(lab, {
        driver,
        rule,
        saves: long ? 20 : 4,
        states: long || 200,
        maxDisks: long || 12,
        seed,
      })
      console.log(describeReport(report))
      expect(report.lost.filter((lost) => !lostByBrowser(lost))).toEqual([])
      expect(report.checkedDisks).toBe(Math.min(report.disks, long || 12))
    })
  }
})
