import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os'
import { join } from 'node:path'
// From the shared rig's source, so that launch.mjs bundles it in: packages stay external, and Node 20 runs no TypeScript.
import { chromiumArgs, chromiumPath } from '../../tooling/browser-test/src/chromium.ts'
import { chromium } from 'playwright'
import { pageAssets, shippedSizes, type Shipped } from './assets.js'
import type { BenchConfig, ContenderResults } from './results.js'
import { serveAssets } from './server.js'
import { summarize, type ContenderSummary } from './stats.js'

const KiB = 1024
const MiB = 1024 * KiB

export const configs: Record<'full' | 'quick', BenchConfig> = {
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
    stepTimeoutMs: 20_000,
  },
}

export interface BenchJson {
  meta: {
    date: string
    quick: boolean
    chromium: string
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
  bundles: Shipped[]
}

/**
 * Runs every contender in headless Chromium with a disk-backed profile (an off-the-record context
 * keeps storage in memory and flatters everyone), the page served on 127.0.0.1.
 */
export async function runBench({
  root,
  quick,
  log,
}: {
  root: string
  quick: boolean
  log(line: string): void
}): Promise<BenchJson> {
  const started = Date.now()
  const before = loadavg()
  const config = configs[quick ? 'quick' : 'full']
  const [assets, bundles] = await Promise.all([pageAssets(root), shippedSizes(root)])
  const server = await serveAssets(assets)
  const profile = await mkdtemp(join(tmpdir(), 'stowage-bench-profile-'))
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
    })
    try {
      const page = context.pages()[0] ?? (await context.newPage())
      page.on('pageerror', (error) => log(`page error: ${error.message}`))
      page.on('console', (message) => message.type() === 'error' && log(`page console: ${message.text()}`))
      await page.exposeFunction('benchProgress', (line: string) => log(`  ${line}`))
      await page.goto(server.url)
      await page.waitForFunction(() => typeof window.bench === 'function')
      const { product } = await (await context.newCDPSession(page)).send('Browser.getVersion')
      const results = await page.evaluate((config) => window.bench(config), config)
      const cpu = cpus()
      return {
        meta: {
          date: new Date(started).toISOString(),
          quick,
          chromium: product.replace(/^\D+/, ''),
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
        bundles,
      }
    } finally {
      await context.close()
    }
  } finally {
    await server.close()
    await rm(profile, { recursive: true, force: true })
  }
}
