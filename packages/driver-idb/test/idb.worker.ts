import { serveCases } from '@stowage/browsers/worker'
import { conformanceCases } from '@stowage/core/conformance'
import { probeCases, workerCases } from './cases.ts'
import { bigCases, chunkCases } from './chunk-cases.ts'
import { factory } from './support.ts'

serveCases({
  ...Object.fromEntries(conformanceCases.map((testCase) => [testCase.name, () => testCase.run(factory)])),
  ...workerCases,
  ...probeCases,
  ...chunkCases,
  ...bigCases,
})
