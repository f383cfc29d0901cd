import { ms, size, times, kB } from './format.js'
import type { BenchJson } from './run.js'
import { type ContenderSummary, median } from './stats.js'

export interface Target {
  target: string
  figure: string
  /** null when this run did not measure it (a quick run skips the big sizes). */
  met: boolean | null
}

const KiB = 1024
const MiB = 1024 * KiB
/** A raw sync handle kept open in a worker, timed on the page: see the bench README. */
const FLOOR = 'floor'

/** The issues' targets for Stowage on opfs-sync, judged on this run's medians. */
export function judgeTargets(json: BenchJson): Target[] {
  const byId = new Map(json.summary.map((summary) => [summary.id, summary]))
  const at = (id: string, bytes: number) => byId.get(id)?.sizes.find((entry) => entry.bytes === bytes)
  const transfer = 'stowage-opfs-sync-transfer'
  const targets: Target[] = []

  for (const [bytes, limit] of [
    [KiB, 1.2],
    [64 * KiB, 1.2],
    [MiB, 1.1],
    [16 * MiB, 1.1],
  ] as const) {
    for (const op of ['save', 'load'] as const) {
      targets.push(
        ratio(
          `${op} with transfer, back to back, ${size(bytes)}: within ${limit}× of the floor`,
          at(transfer, bytes)?.[op].median,
          at(FLOOR, bytes)?.[op].median,
          limit,
          'floor',
        ),
      )
    }
  }
  for (const [bytes, everyMs, limit] of [
    [64 * KiB, 1000, 1.3],
    [MiB, 300, 1.15],
  ] as const) {
    const cadence = (id: string) =>
      byId.get(id)?.cadences.find((entry) => entry.bytes === bytes && entry.everyMs === everyMs)?.save.median
    targets.push(
      ratio(
        `a ${size(bytes)} save every ${everyMs} ms, with transfer: within ${limit}× of the floor`,
        cadence(transfer),
        cadence(FLOOR),
        limit,
        'floor',
      ),
    )
  }

  const cold = (id: string) => median(json.cold.find((entry) => entry.id === id)?.runs.map((run) => run.ms) ?? [])
  targets.push(
    ratio(
      `cold start to the first ${size(json.config.cold.bytes)}: within 1.15× of the floor`,
      cold(transfer),
      cold(FLOOR),
      1.15,
      'floor',
    ),
  )

  const tabs = json.twoTabs.find((run) => run.id === transfer)
  targets.push(
    tabs?.save.length
      ? {
          target: `two tabs taking turns saving one ${size(json.config.twoTabs.bytes)} file, with transfer: at most 3 ms a save`,
          figure: `${ms(median(tabs.save))} ms (median of ${tabs.save.length})${tabs.same ? '' : ', the file does not hold the last save'}`,
          met: median(tabs.save) <= 3 && tabs.same,
        }
      : {
          target: 'two tabs taking turns on one file: at most 3 ms a save',
          figure: 'not measured in this run',
          met: null,
        },
  )

  const copy = at('stowage-opfs-sync', 16 * MiB)?.save.median
  const keyval = at('idb-keyval', 16 * MiB)?.save.median
  targets.push(
    copy === undefined || keyval === undefined
      ? {
          target: 'save with the default copy, 16 MiB: at least 2.5× faster than idb-keyval',
          figure: 'not measured in this run',
          met: null,
        }
      : {
          target: 'save with the default copy, 16 MiB: at least 2.5× faster than idb-keyval',
          figure: `${ms(copy)} ms vs idb-keyval ${ms(keyval)} ms: ${times(keyval / copy)} faster`,
          met: keyval / copy >= 2.5,
        },
  )

  for (const [id, how] of [
    ['stowage-opfs-sync', 'default copy'],
    [transfer, 'transfer'],
  ] as const) {
    targets.push(
      burst(byId.get(id), `${json.config.burst.count} un-awaited ${size(json.config.burst.bytes)} saves, ${how}`),
    )
  }

  const gap = byId.get(transfer)?.gap
  for (const [kind, label] of [
    ['timeout', 'setTimeout chain'],
    ['frame', 'animation frames'],
  ] as const) {
    targets.push(
      gap
        ? {
            target: `worst main-thread gap (${label}) during ${json.config.gap.count} saves of ${size(json.config.gap.bytes)} with transfer: within 2 ms of idle`,
            figure: `${ms(gap[kind])} ms vs ${ms(gap.idle[kind])} ms idle (+${ms(gap[kind] - gap.idle[kind])} ms)`,
            met: gap[kind] - gap.idle[kind] <= 2,
          }
        : {
            target: `worst main-thread gap (${label}) with transfer: within 2 ms of idle`,
            figure: 'not measured',
            met: null,
          },
    )
  }

  const everything = json.bundles.find((bundle) => bundle.id === 'stowage')!
  const page = json.bundles.find((bundle) => bundle.id === 'stowage-page')!
  const worker = json.bundles.find((bundle) => bundle.id === 'stowage-worker')!
  targets.push({
    target: 'what an app ships on the page (connect): at most 2 KB min+gzip',
    figure: `page file ${kB(page.gzip)} (${page.gzip} B); worker file ${kB(worker.gzip)}; both as one bundle ${kB(everything.gzip)}`,
    met: page.gzip <= 2048,
  })
  return targets
}

function ratio(
  target: string,
  ours: number | undefined,
  base: number | undefined,
  limit: number,
  name: string,
): Target {
  if (ours === undefined || base === undefined) return { target, figure: 'not measured in this run', met: null }
  return {
    target,
    figure: `${ms(ours)} ms vs ${name} ${ms(base)} ms: ${times(ours / base)}`,
    met: ours / base <= limit,
  }
}

function burst(summary: ContenderSummary | undefined, what: string): Target {
  const target = `burst of ${what}: zero errors, under 30 ms in total`
  const run = summary?.burst
  if (!run) return { target, figure: 'not measured', met: null }
  return {
    target,
    figure: `${ms(run.ms)} ms (median), ${run.errors} errors in ${run.saves} saves`,
    met: run.errors === 0 && run.ms < 30,
  }
}
