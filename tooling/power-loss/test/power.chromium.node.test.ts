import { fileURLToPath } from 'node:url'
import { launchChromium } from '@stowage/browser-lab/src/chromium.ts'
import { createLab, type Lab } from '@stowage/browser-lab/src/lab.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeReport } from '../src/report.ts'
import { powerTrial } from '../src/trial.ts'

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

  it('opfs-sync: every state keeps the last acknowledged save or the one in flight, whole', async () => {
    const report = await powerTrial(lab, {
      driver: 'opfs-sync',
      saves: long ? 20 : 4,
      states: long || 200,
      maxDisks: long || 12,
      seed,
    })
    console.log(describeReport(report))
    expect(report.lost).toEqual([])
  })
})
