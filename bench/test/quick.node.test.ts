import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TWO_TAB_CONTENDERS } from '../src/results.ts'
import type { BenchJson } from '../src/run.ts'

const launcher = fileURLToPath(new URL('../src/launch.mjs', import.meta.url))
const contenders = [
  'stowage-opfs-sync-transfer',
  'stowage-opfs-sync',
  'stowage-opfs-async-transfer',
  'stowage-opfs-async',
  'stowage-idb-transfer',
  'stowage-idb',
  'stowage-opfs-sync-relaxed',
  'stowage-idb-relaxed',
  'floor',
  'raw-sync-kept',
  'raw-sync-per-save',
  'raw-writable',
  'raw-idb',
  'idb-keyval',
  'localforage',
]

// A smoke test of the real command in real Chromium and Firefox: no timing is asserted, only that
// every contender was measured and that everything it stored came back byte for byte.
let out: string
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'stowage-bench-test-'))
  await promisify(execFile)(process.execPath, [launcher, '--quick', '--out', out], { timeout: 290_000 })
}, 300_000)
afterAll(() => rm(out, { recursive: true, force: true }))

describe.each([
  ['Chromium', 'bench'],
  ['Firefox', 'bench-firefox'],
])('npm run bench -- --quick, in %s', (browser, name) => {
  let json: BenchJson
  beforeAll(async () => {
    json = JSON.parse(await readFile(join(out, `${name}.json`), 'utf8')) as BenchJson
  })

  it('runs every contender, without a step that threw', () => {
    const { contenders: results } = json
    expect(results.map(({ info }) => info.id)).toEqual(contenders)
    for (const result of results) expect(result.errors, result.info.id).toEqual([])
  })

  it('gives numbers for every size, the burst, the main-thread watch and every cadence', () => {
    const { contenders: results, config } = json
    const isTime = (value: number) => Number.isFinite(value) && value >= 0
    for (const { info, sizes, bursts, gap, cadences } of results) {
      expect(
        sizes.map(({ bytes }) => bytes),
        info.id,
      ).toEqual(config.sizes.map(({ bytes }) => bytes))
      for (const [index, { save, load }] of sizes.entries()) {
        expect(save.length, `${info.id} saves`).toBe(config.sizes[index]!.reps)
        expect(load.length, `${info.id} loads`).toBe(config.sizes[index]!.reps)
        expect([...save, ...load].every(isTime), info.id).toBe(true)
      }
      expect(bursts.length, `${info.id} bursts`).toBe(config.burst.rounds)
      expect(
        bursts.every((run) => isTime(run.ms) && run.errors >= 0 && run.errors <= config.burst.count),
        info.id,
      ).toBe(true)
      expect(
        cadences.map(({ save }) => save.length),
        `${info.id} cadences`,
      ).toEqual(config.cadences.map(({ count }) => count - 1))
      expect(
        cadences.every(({ save }) => save.every(isTime)),
        info.id,
      ).toBe(true)
      expect(gap && isTime(gap.ms) && gap.timeouts.length > 0 && gap.idle.timeouts.length > 0, `${info.id} gap`).toBe(
        true,
      )
    }
  })

  it('finds every stored file byte for byte as it was saved, cold starts included', () => {
    for (const { info, checks } of json.contenders) {
      expect(checks.failures, info.id).toEqual([])
      expect(checks.passed, info.id).toBeGreaterThan(0)
    }
    expect(json.cold.map(({ id }) => id)).toEqual(['floor', 'stowage-opfs-sync-transfer', 'idb-keyval'])
    for (const { id, runs } of json.cold) {
      expect(runs.length, id).toBe(json.config.cold.reps)
      expect(
        runs.every((run) => run.same && run.ms > 0),
        id,
      ).toBe(true)
    }
  })

  it('has two tabs take turns on one file for each of the two-tab contenders, which ends holding the last save', () => {
    expect(json.twoTabs.map(({ id }) => id)).toEqual(TWO_TAB_CONTENDERS)
    for (const { id, save, same, errors } of json.twoTabs) {
      expect(errors, id).toEqual([])
      expect(save.length, id).toBe(json.config.twoTabs.turns - 2)
      expect(
        save.every((ms) => Number.isFinite(ms) && ms >= 0),
        id,
      ).toBe(true)
      expect(same, id).toBe(true)
    }
  })

  it('writes the table, the chart and the bundle sizes', async () => {
    const { bundles, meta } = json
    expect(bundles.map(({ id }) => id)).toEqual([
      'stowage',
      'stowage-page',
      'stowage-worker',
      'idb-keyval',
      'localforage',
    ])
    expect(bundles.every(({ min, gzip }) => gzip > 0 && gzip < min)).toBe(true)
    expect(meta.browser).toMatch(new RegExp(`^${browser} \\d+(\\.\\d+)+$`))
    const table = await readFile(join(out, `${name}.md`), 'utf8')
    for (const id of [
      'Stowage opfs-sync, transfer',
      'raw sync handle, kept open',
      'idb-keyval set/get',
      'localForage setItem/getItem',
    ]) {
      expect(table).toContain(`| ${id} |`)
    }
    expect(await readFile(join(out, `${name}.svg`), 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>$/)
  })
})
