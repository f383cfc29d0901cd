import { conformanceCases } from '@stowage/core/conformance'
import { describeConformance } from '@stowage/core/conformance/vitest'
import { workerSuite } from '@stowage/browsers/suite'
import { cacheStorage } from '../src/index.ts'

workerSuite(
  'cache-storage driver in a dedicated worker',
  () => new Worker(new URL('./cache.worker.ts', import.meta.url), { type: 'module' }),
  conformanceCases.map((testCase) => testCase.name),
)

describeConformance('cache-storage driver on the main thread', async () => {
  const cache = `test-${crypto.randomUUID()}`
  return { driver: cacheStorage({ cache }), teardown: async () => void (await caches.delete(cache)) }
})
