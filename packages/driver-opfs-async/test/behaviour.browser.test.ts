import { workerSuite } from '@stowage/browsers/suite'
import { describe, it } from 'vitest'
import { behaviourCases, probeCases } from './cases.ts'

workerSuite(
  'opfs-async in a dedicated worker: faults, names, locks, probe, close',
  () => new Worker(new URL('./opfs-async.worker.ts', import.meta.url), { type: 'module' }),
  Object.keys(behaviourCases),
)

describe('opfs-async probe on the main thread', () => {
  for (const [name, body] of Object.entries(probeCases)) it(name, body)
})
