import { describe, it } from 'vitest'
import { conformanceCases, type DriverFactory } from './cases.js'

/** Declares one vitest test per conformance case, against drivers from `factory`. */
export function describeConformance(label: string, factory: DriverFactory, timeout = 60_000): void {
  describe(`${label} conformance`, () => {
    for (const testCase of conformanceCases) it(testCase.name, () => testCase.run(factory), timeout)
  })
}
