import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { describe, it } from 'vitest'
import type { EngineSession } from '@stowage/browsers/session'
import { bytesOf, digest } from '../content.ts'
import type { FileStep, Outcome, Step } from './steps.ts'

/** The tiers a client's worker can be made to serve from. */
const TIERS = ['opfs-sync', 'opfs-async', 'idb'] as const

/**
 * A step the page runs, or a boundary Node handles: a new worker, a browser restart, or a new
 * worker served by another tier (the client only: what that tier's predecessor saved must be
 * found, the model does not change).
 */
export type SequenceStep = Step | { op: 'worker' } | { op: 'restart' } | { op: 'tier'; serve: (typeof TIERS)[number] }

const FILES = ['a', 'b', 'ü 名 🚀']

/** Sizes at the edges of opfs-sync's layout (64-byte headers, 128-byte data start) and of pages, some large. */
const size = fc.oneof(
  { arbitrary: fc.constantFrom(0, 1, 63, 64, 65, 127, 128, 129, 4095, 4096, 4097), weight: 8 },
  { arbitrary: fc.integer({ min: 0, max: 100_000 }), weight: 3 },
  { arbitrary: fc.constantFrom(1 << 20, (1 << 20) + 7, 3 << 20), weight: 1 },
)
const file = fc.constantFrom(...FILES)
const save = fc.record({
  op: fc.constant('save' as const),
  file,
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
  size,
  offset: fc.constantFrom(0, 0, 1, 13, 4096),
  transfer: fc.boolean(),
  asBuffer: fc.boolean(),
})
const load = fc.record({ op: fc.constant('load' as const), file })
const remove = fc.record({ op: fc.constant('remove' as const), file })
const fileStep: fc.Arbitrary<FileStep> = fc.oneof(
  { arbitrary: save, weight: 3 },
  { arbitrary: load, weight: 2 },
  { arbitrary: remove, weight: 1 },
)
/** A call of a burst that may carry the burst's signal. */
const abortable = fc
  .tuple(fileStep, fc.boolean())
  .map(([step, abort]) => (abort ? { ...step, abort } : step) as FileStep)
const only = <T extends SequenceStep['op']>(op: T) => fc.constant({ op } as Extract<SequenceStep, { op: T }>)

/**
 * Random sequences; `restarts` lets them restart the browser now and then (about one sequence in
 * six), `tiers` change the serving tier now and then.
 */
export function sequences(restarts: boolean, tiers = false): fc.Arbitrary<SequenceStep[]> {
  const step: fc.Arbitrary<SequenceStep> = fc.oneof(
    { arbitrary: save, weight: 60 },
    { arbitrary: load, weight: 40 },
    { arbitrary: remove, weight: 20 },
    { arbitrary: only('list'), weight: 20 },
    {
      arbitrary: fc.record({
        op: fc.constant('burst' as const),
        steps: fc.array(fileStep, { minLength: 2, maxLength: 8 }),
      }),
      weight: 15,
    },
    {
      arbitrary: fc.record({
        op: fc.constant('burst' as const),
        steps: fc.array(abortable, { minLength: 2, maxLength: 8 }),
        abortAfterMs: fc.constantFrom(0, 0, 1, 5, 20),
      }),
      weight: 10,
    },
    { arbitrary: only('idle'), weight: 10 },
    { arbitrary: only('reopen'), weight: 10 },
    { arbitrary: only('worker'), weight: 10 },
    { arbitrary: only('restart'), weight: restarts ? 2 : 0 },
    {
      arbitrary: fc.record({ op: fc.constant('tier' as const), serve: fc.constantFrom(...TIERS) }),
      weight: tiers ? 10 : 0,
    },
  )
  return fc.array(step, { minLength: 1, maxLength: 25 })
}

/** The plain model: what each file holds, as the seed and size of its last save. */
type Model = Map<string, { seed: number; size: number }>

const digests = new Map<string, Promise<string>>()
const digestOf = (seed: number, size: number) => {
  const key = `${seed}:${size}`
  if (!digests.has(key)) digests.set(key, digest(bytesOf(seed, size)))
  return digests.get(key)!
}

/**
 * What the model says `step` comes to, applying it to the model. A call that carried a signal may
 * come to ABORTED, and then it must have changed nothing: `got`, what it came to, says which.
 */
async function expected(model: Model, step: Step, got?: Outcome): Promise<Outcome> {
  if ('abort' in step && typeof got === 'string' && got.startsWith('ABORTED (')) return 'ABORTED'
  switch (step.op) {
    case 'save':
      model.set(step.file, { seed: step.seed, size: step.size })
      return 'ok'
    case 'load': {
      const held = model.get(step.file)
      return held ? digestOf(held.seed, held.size) : 'NOT_FOUND'
    }
    case 'remove':
      model.delete(step.file)
      return 'ok'
    case 'list':
      return JSON.stringify([...model.keys()].sort())
    case 'burst': {
      const outcomes: string[] = []
      for (const [j, inner] of step.steps.entries())
        outcomes.push((await expected(model, inner, Array.isArray(got) ? got[j] : undefined)) as string)
      return outcomes
    }
    case 'idle':
    case 'reopen':
      return 'ok'
  }
}

/** A call's outcome matches when equal, or when it is the expected error code with its message. */
const matches = (got: string | undefined, want: string) => got === want || (got?.startsWith(`${want} (`) ?? false)

/**
 * Runs `steps` on `target` in the session's browser and checks every outcome against the model, in
 * order. The sequence's storage is its own, and deleted afterwards whatever happens.
 */
export async function checkSequence(session: EngineSession, target: string, steps: SequenceStep[]): Promise<void> {
  const place = `model-${randomUUID()}`
  const model: Model = new Map()
  const boundary = (step: SequenceStep) => step.op === 'worker' || step.op === 'restart' || step.op === 'tier'
  let serving: string | undefined
  try {
    let done = 0
    for (let start = 0; start <= steps.length; ) {
      let end = steps.findIndex((step, i) => i >= start && boundary(step))
      if (end < 0) end = steps.length
      // Plain objects: fast-check's records have no prototype, which WebDriver BiDi refuses to send.
      const segment = JSON.parse(JSON.stringify(steps.slice(start, end))) as Step[]
      const last = end === steps.length
      const outcomes = (await session.run('model: run', [target, place, segment, last, serving], 600_000)) as Outcome[]
      for (const [i, step] of segment.entries()) {
        const got = outcomes[i]
        const want = await expected(model, step, got)
        const ok = Array.isArray(want)
          ? Array.isArray(got) && want.every((w, j) => matches(got[j], w))
          : matches(got as string, want)
        if (!ok) {
          throw new Error(
            `step ${done + i} ${JSON.stringify(step)}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got ?? 'nothing')}`,
          )
        }
      }
      done += segment.length + 1
      const next = steps[end]
      if (next?.op === 'restart') await session.restart()
      if (next?.op === 'tier') serving = next.serve
      start = end + 1
    }
  } finally {
    await session.run('model: clear', [place]).catch(() => undefined)
  }
}

/** How many sequences each target runs: STOWAGE_MODEL_RUNS, or a number that fits CI's budget. */
const runs = (fallback: number) => Number(process.env.STOWAGE_MODEL_RUNS) || fallback

/**
 * One test per target: `runs` random sequences, each checked step by step against the model. A
 * failure reports fast-check's seed and path with the shrunk sequence; STOWAGE_MODEL_SEED and
 * STOWAGE_MODEL_PATH replay exactly that run.
 */
export function modelSuite(
  session: () => EngineSession,
  targets: string[],
  { runs: fallback = 40, restarts = true } = {},
): void {
  describe('model-based sequences against a plain model', () => {
    for (const target of targets) {
      const tiers = target === 'client'
      it(`${target}: random save, load, remove, list, bursts, aborts, idle leases, reopens, new workers${restarts ? ', restarts' : ''}${tiers ? ', tier changes' : ''}`, async () => {
        await fc.assert(
          fc.asyncProperty(sequences(restarts, tiers), (steps) => checkSequence(session(), target, steps)),
          replay({ numRuns: runs(fallback) }),
        )
      }, 3_600_000)
    }
  })
}

/** fast-check parameters, with a failure's seed and path from the environment when replaying it. */
export function replay(parameters: fc.Parameters<[SequenceStep[]]>): fc.Parameters<[SequenceStep[]]> {
  const seed = process.env.STOWAGE_MODEL_SEED
  const path = process.env.STOWAGE_MODEL_PATH
  return { ...parameters, ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) }
}
