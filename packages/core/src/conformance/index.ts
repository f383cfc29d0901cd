import { conformanceCases, type DriverFactory } from './cases.js'

export { conformanceCases } from './cases.js'
export type { ConformanceCase, DriverFactory } from './cases.js'
export { ConformanceError, check, checkBytes, checkRejects, randomBytes } from './assert.js'

export interface CaseResult {
  name: string
  ok: boolean
  error?: unknown
  ms: number
}

/**
 * Runs every conformance case (or those `only` names) against drivers from `factory`, one after
 * the other, and reports each result. Needs no test runner: call it from anywhere and look at `ok`.
 */
export async function runConformance(factory: DriverFactory, only?: string[]): Promise<CaseResult[]> {
  const results: CaseResult[] = []
  for (const testCase of conformanceCases) {
    if (only && !only.includes(testCase.name)) continue
    const started = performance.now()
    try {
      await testCase.run(factory)
      results.push({ name: testCase.name, ok: true, ms: performance.now() - started })
    } catch (error) {
      results.push({ name: testCase.name, ok: false, error, ms: performance.now() - started })
    }
  }
  return results
}
