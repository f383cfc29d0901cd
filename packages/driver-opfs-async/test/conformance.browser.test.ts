import { workerSuite } from '@stowage/browsers/suite'
import { conformanceCases } from '@stowage/core/conformance'
import { describeConformance } from '@stowage/core/conformance/vitest'
import { freshDriver, freshRawDriver } from './helpers.ts'

workerSuite(
  'opfs-async conformance in a dedicated worker',
  () => new Worker(new URL('./opfs-async.worker.ts', import.meta.url), { type: 'module' }),
  conformanceCases.map((testCase) => testCase.name),
)

describeConformance('opfs-async on the main thread', freshDriver)
describeConformance("opfs-async, format 'raw', on the main thread", freshRawDriver)
