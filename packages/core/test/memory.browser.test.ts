import { workerSuite } from '@stowage/browsers/suite'
import { conformanceCases } from '../src/conformance/index.ts'

workerSuite(
  'memory driver conformance in a dedicated worker',
  () => new Worker(new URL('./memory.worker.ts', import.meta.url), { type: 'module' }),
  conformanceCases.map((testCase) => testCase.name),
)
