import { serveCases } from '@stowage/browsers/worker'
import { conformanceCases } from '@stowage/core/conformance'
import { behaviourCases } from './cases.ts'
import { freshDriver } from './helpers.ts'

serveCases({
  ...Object.fromEntries(conformanceCases.map((testCase) => [testCase.name, () => testCase.run(freshDriver)])),
  ...behaviourCases,
})
