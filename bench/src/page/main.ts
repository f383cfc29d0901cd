import { exposeCases } from '@stowage/browsers/page'
import {
  type BenchConfig,
  COLD_STARTERS,
  type ColdRun,
  type ContenderResults,
  type Gaps,
  type PageResults,
} from '../results.js'
import { startContenders, type Contender } from './contenders.js'
import { errorName } from './measure.js'

function within<T>(promise: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${step}: no answer within ${ms} ms`)), ms)),
  )
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

const describe = (error: unknown) => `${errorName(error)}: ${(error as Error)?.message ?? error}`

/** Runs `body` while a setTimeout(0) chain and an animation-frame chain record how long the main thread kept them waiting. */
async function watchMainThread<T>(body: () => Promise<T>): Promise<{ value: T; gaps: Gaps }> {
  const gaps: Gaps = { timeouts: [], frames: [] }
  let watching = true
  let lastTick = performance.now()
  const tick = () => {
    const now = performance.now()
    gaps.timeouts.push(now - lastTick)
    lastTick = now
    if (watching) setTimeout(tick, 0)
  }
  setTimeout(tick, 0)
  let lastFrame: number | undefined
  const frame = () => {
    const now = performance.now()
    if (lastFrame !== undefined) gaps.frames.push(now - lastFrame)
    lastFrame = now
    if (watching) requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
  try {
    return { value: await body(), gaps }
  } finally {
    watching = false
  }
}

/** Save then load, per size, every contender in turn, the order rotated each round so drift hits all alike. */
async function rounds(config: BenchConfig, contenders: Contender[], results: ContenderResults[]): Promise<void> {
  let variant = 1
  for (const [index, { bytes, reps }] of config.sizes.entries()) {
    for (const result of results) result.sizes.push({ bytes, save: [], load: [] })
    for (let rep = -1; rep < reps; rep++) {
      for (let k = 0; k < contenders.length; k++) {
        const at = (k + rep + 1) % contenders.length
        const { measured } = contenders[at]!
        const result = results[at]!
        const samples = result.sizes[index]!
        const step = `${bytes} B, ${rep < 0 ? 'warm-up' : `round ${rep}`}`
        variant++
        try {
          const saveMs = await within(measured.save(bytes, variant), config.stepTimeoutMs, `save ${step}`)
          const { ms: loadMs, same } = await within(measured.load(bytes, variant), config.stepTimeoutMs, `load ${step}`)
          if (same) result.checks.passed++
          else fail(result, `${step}: the loaded bytes differ from the saved ones`)
          if (rep < 0) continue
          samples.save.push(saveMs)
          samples.load.push(loadMs)
        } catch (error) {
          result.errors.push(`${step}: ${describe(error)}`)
        }
      }
    }
  }
}

function fail(result: ContenderResults, failure: string): void {
  result.checks.failed++
  result.checks.failures.push(failure)
}

async function bursts(config: BenchConfig, contenders: Contender[], results: ContenderResults[]): Promise<void> {
  const { count, bytes, rounds } = config.burst
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const at = (k + round) % contenders.length
      const result = results[at]!
      try {
        const run = await within(contenders[at]!.measured.burst(count, bytes), config.stepTimeoutMs, `burst ${round}`)
        result.bursts.push(run)
        if (run.same) result.checks.passed++
        else
          fail(
            result,
            `burst ${round}: the file holds save #${run.landed}, not the exact bytes of an acknowledged save`,
          )
      } catch (error) {
        result.errors.push(`burst ${round}: ${describe(error)}`)
      }
    }
  }
}

/**
 * Each contender's saves in a row while the page watches its main thread, then the same length of
 * time with nothing running (after a pause for the saves' stragglers), as that run's own idle baseline:
 * the load of a shared machine then weighs on both alike.
 */
async function gaps(config: BenchConfig, contenders: Contender[], results: ContenderResults[]): Promise<void> {
  const { count, bytes } = config.gap
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  for (const [at, { measured }] of contenders.entries()) {
    const result = results[at]!
    try {
      await within(measured.prepareSeries(count, bytes), config.stepTimeoutMs, 'gap preparation')
      const { value: run, gaps: watched } = await watchMainThread(() =>
        within(measured.runSeries(), config.stepTimeoutMs * count, 'gap saves'),
      )
      await sleep(250)
      const { gaps: idle } = await watchMainThread(() => sleep(Math.max(run.ms, 100)))
      const same = await within(measured.checkSeries(), config.stepTimeoutMs, 'gap check')
      result.gap = { ...run, ...watched, same, idle }
      if (same) result.checks.passed++
      else fail(result, 'gap: the file does not hold the last of the saves')
    } catch (error) {
      result.errors.push(`gap: ${describe(error)}`)
    }
  }
}

/**
 * Saves at an app's rhythm: every `everyMs`, each contender saves once (the order rotated each
 * tick), so that each file sits idle as long between its saves as an autosaved file does. The
 * first tick is untimed; afterwards each contender's file must hold its last save.
 */
async function cadences(config: BenchConfig, contenders: Contender[], results: ContenderResults[]): Promise<void> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  let variant = 1 << 20
  for (const [index, cadence] of config.cadences.entries()) {
    for (const result of results) result.cadences.push({ ...cadence, save: [] })
    for (let tick = 0; tick < cadence.count; tick++) {
      const due = performance.now() + cadence.everyMs
      variant++
      for (let k = 0; k < contenders.length; k++) {
        const at = (k + tick) % contenders.length
        const result = results[at]!
        try {
          const ms = await within(
            contenders[at]!.measured.save(cadence.bytes, variant),
            config.stepTimeoutMs,
            'cadence',
          )
          if (tick > 0) result.cadences[index]!.save.push(ms)
        } catch (error) {
          result.errors.push(`cadence ${index}, tick ${tick}: ${describe(error)}`)
        }
      }
      await sleep(due - performance.now())
    }
    for (const [at, { measured }] of contenders.entries()) {
      const { same } = await within(measured.load(cadence.bytes, variant), config.stepTimeoutMs, 'cadence check')
      if (same) results[at]!.checks.passed++
      else fail(results[at]!, `cadence ${index}: the file does not hold the last save`)
    }
  }
}

/** The variant the cold-start file holds: saved last by `bench: finish`, checked by `coldStart`. */
const COLD_VARIANT = 7

/** "Chromium 156.0.8078.114" or "Firefox 153.0": Chromium's user agent hides all but its major version. */
async function browserVersion(): Promise<string> {
  type Brands = { fullVersionList?: { brand: string; version: string }[] }
  const hints = (navigator as { userAgentData?: { getHighEntropyValues(hints: string[]): Promise<Brands> } })
    .userAgentData
  const chromium = (await hints?.getHighEntropyValues(['fullVersionList']))?.fullVersionList?.find(
    ({ brand }) => brand === 'Chromium',
  )
  if (chromium) return `Chromium ${chromium.version}`
  const [, version] = /Firefox\/([\d.]+)/.exec(navigator.userAgent) ?? []
  return version ? `Firefox ${version}` : navigator.userAgent
}

const phases = { rounds, bursts, gaps, cadences }
export type Phase = keyof typeof phases

/** The run under way in this tab: its contenders, and what they measured so far. */
let run: { config: BenchConfig; contenders: Contender[]; results: ContenderResults[] } | undefined
/** This tab's contender in the two-tab trial, where another tab runs the same one on the same file. */
let tabContender: Contender | undefined

/** What the Node side runs in the page (see run.ts), one phase a call. */
exposeCases({
  'bench: start': async (config: BenchConfig) => {
    const contenders = await startContenders(config.contenders)
    const results: ContenderResults[] = contenders.map(({ info }) => ({
      info,
      sizes: [],
      checks: { passed: 0, failed: 0, failures: [] },
      errors: [],
      bursts: [],
      gap: null,
      cadences: [],
    }))
    run = { config, contenders, results }
    return contenders.length
  },
  'bench: phase': (phase: Phase) => phases[phase](run!.config, run!.contenders, run!.results),
  'bench: finish': async (): Promise<PageResults> => {
    const { config, contenders, results } = run!
    run = undefined
    try {
      for (const contender of contenders.filter(({ info }) => COLD_STARTERS.includes(info.id)))
        await contender.measured.save(config.cold.bytes, COLD_VARIANT)
      return {
        browser: await browserVersion(),
        userAgent: navigator.userAgent,
        crossOriginIsolated,
        contenders: results,
      }
    } finally {
      await Promise.all(contenders.map((contender) => contender.close().catch(() => undefined)))
    }
  },
  coldStart: async (id: string, bytes: number): Promise<ColdRun> => {
    const start = performance.now()
    const [contender] = await startContenders([id])
    try {
      const { same } = await contender!.measured.load(bytes, COLD_VARIANT)
      return { ms: performance.now() - start, same }
    } finally {
      await contender!.close()
    }
  },
  'tab: start': async (id: string) => {
    ;[tabContender] = await startContenders([id])
  },
  'tab: save': (bytes: number, variant: number) => tabContender!.measured.save(bytes, variant),
  'tab: holds': async (bytes: number, variant: number) => (await tabContender!.measured.load(bytes, variant)).same,
  'tab: stop': async () => {
    await tabContender?.close()
    tabContender = undefined
  },
})
