import type { CallOptions, Driver, Durability } from '../src/index.ts'
import { memoryDriver } from '../src/index.ts'

export interface Call {
  op: 'load' | 'save' | 'remove' | 'list' | 'close'
  file?: string
  bytes?: number[]
  /** The signal the store passed. */
  signal?: AbortSignal
  /** For a save: the durability the store asked for. */
  durability?: Durability
  release(): void
  fail(error: unknown): void
}

/**
 * A memory driver whose every call waits until the test releases (or fails) it, so a test can
 * hold the queue at any point and see exactly which calls reached the driver, in which order.
 * The wait stands for a wait for the file's lock: the call's signal ends it, with its reason, as
 * `navigator.locks.request` does; once released, the call's I/O runs whatever the signal does.
 */
export function gatedDriver() {
  const inner = memoryDriver()
  const calls: Call[] = []
  const arrivals: (() => void)[] = []

  function gate<T>(
    op: Call['op'],
    file: string | undefined,
    run: () => Promise<T>,
    { signal, durability }: CallOptions & { durability?: Durability } = {},
    data?: Uint8Array,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const giveUp = () => reject(signal?.reason)
      signal?.addEventListener('abort', giveUp)
      calls.push({
        op,
        file,
        bytes: data && [...data],
        signal,
        durability,
        release: () => {
          signal?.removeEventListener('abort', giveUp)
          run().then(resolve, reject)
        },
        fail: reject,
      })
      for (const wake of arrivals.splice(0)) wake()
    })
  }

  const driver: Driver = {
    id: 'gated',
    probe: () => inner.probe(),
    load: (file, options) => gate('load', file, () => inner.load(file), options),
    save: (file, data, options) => gate('save', file, () => inner.save(file, data), options, data),
    remove: (file, options) => gate('remove', file, () => inner.remove(file), options),
    list: (options) => gate('list', undefined, () => inner.list(), options),
    close: () => gate('close', undefined, () => inner.close()),
  }

  /** Resolves once `count` calls in all have reached the driver. */
  async function reached(count: number): Promise<Call[]> {
    while (calls.length < count) await new Promise<void>((wake) => arrivals.push(wake))
    return calls
  }

  return { driver, calls, reached, seed: (file: string, bytes: Uint8Array) => inner.save(file, bytes) }
}

/** Lets every pending promise callback run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
