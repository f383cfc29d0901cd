import type { Driver } from '../src/index.ts'
import { memoryDriver } from '../src/index.ts'

export interface Call {
  op: 'load' | 'save' | 'remove' | 'list' | 'close'
  file?: string
  bytes?: number[]
  release(): void
  fail(error: unknown): void
}

/**
 * A memory driver whose every call waits until the test releases (or fails) it, so a test can
 * hold the queue at any point and see exactly which calls reached the driver, in which order.
 */
export function gatedDriver() {
  const inner = memoryDriver()
  const calls: Call[] = []
  const arrivals: (() => void)[] = []

  function gate<T>(op: Call['op'], file: string | undefined, run: () => Promise<T>, data?: Uint8Array): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      calls.push({
        op,
        file,
        bytes: data && [...data],
        release: () => run().then(resolve, reject),
        fail: reject,
      })
      for (const wake of arrivals.splice(0)) wake()
    })
  }

  const driver: Driver = {
    id: 'gated',
    probe: () => inner.probe(),
    load: (file) => gate('load', file, () => inner.load(file)),
    save: (file, data) => gate('save', file, () => inner.save(file, data), data),
    remove: (file) => gate('remove', file, () => inner.remove(file)),
    list: () => gate('list', undefined, () => inner.list()),
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
