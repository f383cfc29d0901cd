import { isStorageError, type Store } from '@stowage/core'
import { bytesOf, digest } from '../content.ts'

/**
 * One call on one file; `seed` and `size` name the bytes a save stores (see `bytesOf`). In a
 * burst, a call with `abort` carries the burst's signal.
 */
export type FileStep = (
  | { op: 'save'; file: string; seed: number; size: number; offset: number; transfer: boolean; asBuffer: boolean }
  | { op: 'load'; file: string }
  | { op: 'remove'; file: string }
) & { abort?: boolean }

/**
 * What the page or worker runs, in order. `burst` issues its calls without awaiting any of them,
 * and fires their signal `abortAfterMs` later (0: at once, in the same task) when it has one;
 * `idle` waits past opfs-sync's lease idle time; `reopen` closes the store and opens a new one
 * over the same storage (a new driver instance, or a new worker for a client).
 */
export type Step =
  | FileStep
  | { op: 'list' }
  | { op: 'burst'; steps: FileStep[]; abortAfterMs?: number }
  | { op: 'idle' }
  | { op: 'reopen' }

/**
 * What a step came to: 'ok', a load's digest, a list's names as JSON, an error code with its
 * message, or 'PENDING' when the call did not settle within the bound. A burst gives one per call.
 */
export type Outcome = string | string[]

/** How long any one call may take before it counts as hanging. */
const STEP_MS = 30_000
/** Longer than opfs-sync's default lease idle time (100 ms), so the lease is gone after it. */
const IDLE_MS = 150

/**
 * Runs `steps` on stores from `open`, one after the other, and answers each one's outcome. Stops
 * after a call that did not settle. Answers the store it ended with, still open: the caller
 * closes it, or abandons it with its worker.
 */
export async function runSteps(
  open: () => Promise<Store>,
  steps: Step[],
): Promise<{ outcomes: Outcome[]; store: Store }> {
  let store = await open()
  const outcomes: Outcome[] = []
  for (const step of steps) {
    let outcome: Outcome
    switch (step.op) {
      case 'burst': {
        const controller = new AbortController()
        const calls = step.steps.map((inner) => call(store, inner, inner.abort ? controller.signal : undefined))
        if (step.abortAfterMs === 0) controller.abort()
        else if (step.abortAfterMs) setTimeout(() => controller.abort(), step.abortAfterMs)
        outcome = []
        for (const pending of calls) outcome.push(await within(pending))
        break
      }
      case 'list':
        outcome = await within(store.list().then((names) => JSON.stringify(names.sort())))
        break
      case 'idle':
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
        outcome = 'ok'
        break
      case 'reopen':
        outcome = await within(store.close().then(() => 'ok'))
        store = await open()
        break
      default:
        outcome = await within(call(store, step))
    }
    outcomes.push(outcome)
    if ([outcome].flat().includes('PENDING')) break
  }
  return { outcomes, store }
}

function call(store: Store, step: FileStep, signal?: AbortSignal): Promise<string> {
  switch (step.op) {
    case 'save': {
      const { file, seed, size, offset, transfer, asBuffer } = step
      const data = asBuffer && offset === 0 ? bytesOf(seed, size).buffer : viewAt(bytesOf(seed, size), offset)
      return store.save(file, data, { transfer, signal }).then(() => 'ok')
    }
    case 'load':
      return store.load(step.file, { signal }).then(digest)
    case 'remove':
      return store.remove(step.file, { signal }).then(() => 'ok')
  }
}

/** `bytes` as a view `offset` bytes into a larger buffer, with other bytes after it too. */
function viewAt(bytes: Uint8Array, offset: number): Uint8Array {
  if (offset === 0) return bytes
  const whole = new Uint8Array(offset + bytes.length + offset).fill(0xee)
  whole.set(bytes, offset)
  return whole.subarray(offset, offset + bytes.length)
}

/** The call's outcome as a string; 'PENDING' if it has not settled within STEP_MS. */
async function within(call: Promise<string>): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('PENDING'), STEP_MS)))
  const settled = call.catch((error: unknown) =>
    isStorageError(error) ? `${error.code} (${error.message})` : `thrown: ${String(error)}`,
  )
  try {
    return await Promise.race([settled, late])
  } finally {
    clearTimeout(timer)
  }
}
