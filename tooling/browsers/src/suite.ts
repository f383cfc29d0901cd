import { afterAll, describe, it } from 'vitest'
import { hostCases, type CaseHost } from './page.js'

/**
 * Declares one vitest test per name, each run inside a worker from `createWorker` (one worker for
 * the whole suite, made on first use).
 */
export function workerSuite(label: string, createWorker: () => Worker, names: string[], timeoutMs = 120_000): void {
  describe(label, () => {
    let host: CaseHost | undefined
    const get = () => (host ??= hostCases(createWorker()))
    afterAll(() => host?.terminate())
    for (const name of names)
      it(
        name,
        () =>
          get()
            .run(name, timeoutMs)
            .then(() => undefined),
        timeoutMs + 5_000,
      )
  })
}
