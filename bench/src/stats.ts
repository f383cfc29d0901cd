import type { ContenderResults, Gaps } from './results.js'

export function median(values: number[]): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The nearest-rank 95th percentile. */
export function p95(values: number[]): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!
}

export const worst = (values: number[]) => (values.length ? Math.max(...values) : NaN)

export interface Spread {
  median: number
  p95: number
  n: number
}

const spread = (values: number[]): Spread => ({ median: median(values), p95: p95(values), n: values.length })

export interface GapSummary {
  timeout: number
  frame: number
}

export interface ContenderSummary {
  id: string
  sizes: { bytes: number; save: Spread; load: Spread }[]
  burst: { ms: number; errors: number; saves: number; allLanded: boolean } | null
  gap: (GapSummary & { idle: GapSummary; ms: number; errors: number }) | null
  cadences: { bytes: number; everyMs: number; save: Spread }[]
  checks: { passed: number; failed: number }
  errors: number
}

export const gapSummary = ({ timeouts, frames }: Gaps): GapSummary => ({
  timeout: worst(timeouts),
  frame: worst(frames),
})

/** Medians and p95s of one contender's raw results. */
export function summarize(result: ContenderResults, burstCount: number): ContenderSummary {
  const { bursts, gap } = result
  return {
    id: result.info.id,
    sizes: result.sizes.map(({ bytes, save, load }) => ({ bytes, save: spread(save), load: spread(load) })),
    burst: bursts.length
      ? {
          ms: median(bursts.map((run) => run.ms)),
          errors: bursts.reduce((sum, run) => sum + run.errors, 0),
          saves: bursts.length * burstCount,
          allLanded: bursts.every((run) => run.same),
        }
      : null,
    gap: gap && { ...gapSummary(gap), idle: gapSummary(gap.idle), ms: gap.ms, errors: gap.errors },
    cadences: result.cadences.map(({ bytes, everyMs, save }) => ({ bytes, everyMs, save: spread(save) })),
    checks: { passed: result.checks.passed, failed: result.checks.failed },
    errors: result.errors.length,
  }
}
