import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os'
import { join } from 'node:path'
// From the shared rig's source, so that launch.mjs bundles it in: packages stay external, and Node 20 runs no TypeScript.
import type { Engine, Tab } from '../../tooling/browsers/src/browser.ts'
import { launch } from '../../tooling/browsers/src/launch.ts'
import { unwrap } from '../../tooling/browsers/src/protocol.ts'
import { pageAssets, shippedSizes, type Shipped } from './assets.js'
import {
  type BenchConfig,
  COLD_STARTERS,
  type ColdRun,
  type ContenderResults,
  type PageResults,
  TWO_TAB_CONTENDERS,
  type TwoTabRun,
} from './results.js'
import type { Phase } from './page/main.js'
import { serveAssets } from './server.js'
import { summarize, type ContenderSummary } from './stats.js'

const KiB = 1024
const MiB = 1024 * KiB

export const configs: Record<'full' | 'quick' | 'durability', BenchConfig> = {
  full: {
    sizes: [
      { bytes: KiB, reps: 100 },
      { bytes: 64 * KiB, reps: 100 },
      { bytes: MiB, reps: 40 },
      { bytes: 16 * MiB, reps: 20 },
    ],
    burst: { count: 200, bytes: 64 * KiB, rounds: 5 },
    gap: { count: 20, bytes: 16 * MiB },
    cadences: [
      { bytes: 64 * KiB, everyMs: 1000, count: 31 },
      { bytes: MiB, everyMs: 300, count: 61 },
    ],
    cold: { bytes: 16 * MiB, reps: 7 },
    twoTabs: { bytes: 64 * KiB, turns: 62 },
    stepTimeoutMs: 30_000,
  },
  quick: {
    sizes: [
      { bytes: KiB, reps: 3 },
      { bytes: 64 * KiB, reps: 3 },
      { bytes: MiB, reps: 2 },
    ],
    burst: { count: 50, bytes: 64 * KiB, rounds: 1 },
    gap: { count: 2, bytes: MiB },
    cadences: [
      { bytes: 64 * KiB, everyMs: 1000, count: 3 },
      { bytes: MiB, everyMs: 300, count: 3 },
    ],
    cold: { bytes: MiB, reps: 1 },
    twoTabs: { bytes: 64 * KiB, turns: 6 },
    stepTimeoutMs: 20_000,
  },
  // Strict next to relaxed where relaxed skips a flush: small saves back to back and an autosave.
  durability: {
    contenders: [
      'stowage-opfs-sync-transfer',
      'stowage-opfs-sync-relaxed',
      'stowage-idb-transfer',
      'stowage-idb-relaxed',
    ],
    sizes: [
      { bytes: KiB, reps: 100 },
      { bytes: 64 * KiB, reps: 100 },
    ],
    burst: { count: 50, bytes: 64 * KiB, rounds: 1 },
    gap: { count: 2, bytes: MiB },
    cadences: [{ bytes: 64 * KiB, everyMs: 1000, count: 31 }],
    cold: { bytes: MiB, reps: 0 },
    twoTabs: { bytes: 64 * KiB, turns: 0 },
    stepTimeoutMs: 20_000,
  },
}

export interface BenchJson {
  meta: {
    date: string
    quick: boolean
    browser: string
    userAgent: string
    crossOriginIsolated: boolean
    machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string }
    /** The 1, 5 and 15 minute load averages when the run started and ended. */
    load: { before: number[]; after: number[] }
    durationMs: number
  }
  config: BenchConfig
  /** Every raw timing, per contender. */
  contenders: ContenderResults[]
  summary: ContenderSummary[]
  /** Per cold starter, every cold start, in the order they ran. */
  cold: { id: string; runs: ColdRun[] }[]
  twoTabs: TwoTabRun[]
  bundles: Shipped[]
}

/** A case of the bench page (page/main.ts), run in `tab`; rejects with the page's error. */
type Call = <T>(tab: Tab, name: string, ...args: unknown[]) => Promise<T>

/**
 * Each cold starter, `reps` times in rotation, in a browser just launched on the bench's profile:
 * the page starts that contender alone and loads the file it saved last. What an app pays from
 * its tab opening to its data in hand, beyond the browser's own start.
 */
async function coldStarts(
  { bytes, reps }: BenchConfig['cold'],
  withTab: <T>(body: (tab: Tab) => Promise<T>) => Promise<T>,
  call: Call,
): Promise<BenchJson['cold']> {
  const cold = COLD_STARTERS.map((id) => ({ id, runs: [] as ColdRun[] }))
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < cold.length; k++) {
      const { id, runs } = cold[(k + rep) % cold.length]!
      runs.push(await withTab((tab) => call<ColdRun>(tab, 'coldStart', id, bytes)))
    }
  }
  return cold
}

/**
 * Two tabs of one browser, each running `id` with a worker of its own, save one file by turns: a
 * tab saves, then the other, as two open tabs of one app autosaving the same document do. Each
 * save is timed on the page of the tab that made it; the first turn of each tab is untimed.
 */
async function twoTabs({ bytes, turns }: BenchConfig['twoTabs'], tabs: Tab[], call: Call): Promise<TwoTabRun[]> {
  if (!turns) return []
  const runs: TwoTabRun[] = []
  for (const id of TWO_TAB_CONTENDERS) {
    const run: TwoTabRun = { id, save: [], same: false, errors: [] }
    try {
      await Promise.all(tabs.map((tab) => call(tab, 'tab: start', id)))
      for (let turn = 0; turn < turns; turn++) {
        const ms = await call<number>(tabs[turn % 2]!, 'tab: save', bytes, turn)
        if (turn >= 2) run.save.push(ms)
      }
      // The tab that saved first reads what the other saved last.
      run.same = await call<boolean>(tabs[0]!, 'tab: holds', bytes, turns - 1)
    } catch (error) {
      run.errors.push(error instanceof Error ? error.message : String(error))
    } finally {
      await Promise.all(tabs.map((tab) => call(tab, 'tab: stop').catch(() => undefined)))
    }
    runs.push(run)
  }
  return runs
}

/**
 * Runs every contender in headless `engine` with a profile on disk (an off-the-record context
 * keeps storage in memory and flatters everyone), through the shared rig (tooling/browsers), the
 * page served on 127.0.0.1. The page runs one phase a call, so that each reports as it ends.
 */
export async function runBench({
  root,
  quick,
  engine = 'chromium',
  mode = quick ? 'quick' : 'full',
  log,
}: {
  root: string
  quick: boolean
  engine?: Engine
  mode?: keyof typeof configs
  log(line: string): void
}): Promise<BenchJson> {
  const started = Date.now()
  const before = loadavg()
  const config = configs[mode]
  const [assets, bundles] = await Promise.all([pageAssets(root), shippedSizes(root)])
  const server = await serveAssets(assets)
  const profile = await mkdtemp(join(tmpdir(), 'stowage-bench-profile-'))
  const call: Call = async (tab, name, ...args) => unwrap(await tab.run(name, args), engine) as never
  /** A browser launched on the bench's profile, with one tab open on the page, closed on every path. */
  async function withTab<T>(body: (tab: Tab, open: () => Promise<Tab>) => Promise<T>): Promise<T> {
    const browser = await launch(engine, profile)
    try {
      const open = () => browser.open(server.url)
      return await body(await open(), open)
    } finally {
      await browser.close()
    }
  }
  const step = (line: string) => log(`  ${((Date.now() - started) / 1000).toFixed(1)} s: ${line}`)
  try {
    const { results, tabRuns } = await withTab(async (tab, open) => {
      step(`${await call<number>(tab, 'bench: start', config)} contenders ready`)
      for (const phase of ['rounds', 'bursts', 'gaps', 'cadences'] satisfies Phase[]) {
        await call(tab, 'bench: phase', phase)
        step(`${phase} done`)
      }
      const results = await call<PageResults>(tab, 'bench: finish')
      const tabRuns = await twoTabs(config.twoTabs, [tab, await open()], call)
      step('two tabs done')
      return { results, tabRuns }
    })
    const cold = await coldStarts(config.cold, withTab, call)
    step('cold starts done')
    const cpu = cpus()
    return {
      meta: {
        date: new Date(started).toISOString(),
        quick,
        browser: results.browser,
        userAgent: results.userAgent,
        crossOriginIsolated: results.crossOriginIsolated,
        machine: {
          cpu: cpu[0]?.model.trim() ?? 'unknown',
          cores: cpu.length,
          memoryGiB: Math.round(totalmem() / 2 ** 30),
          os: `${type()} ${release()}`,
          node: process.version,
        },
        load: { before, after: loadavg() },
        durationMs: Date.now() - started,
      },
      config,
      contenders: results.contenders,
      summary: results.contenders.map((result) => summarize(result, config.burst.count)),
      cold,
      twoTabs: tabRuns,
      bundles,
    }
  } finally {
    await server.close()
    await rm(profile, { recursive: true, force: true })
  }
}
