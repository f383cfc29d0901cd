import { workerSuite } from '@stowage/browsers/suite'
import { conformanceCases } from '@stowage/core/conformance'

workerSuite(
  'GenosDB-compatible IndexedDB driver: conformance in a dedicated worker',
  () => new Worker(new URL('./idb.worker.ts', import.meta.url), { type: 'module' }),
  conformanceCases.map((testCase) => testCase.name),
)
