import { serveCases } from '@stowage/browsers/worker'
import { conformanceCases } from '@stowage/core/conformance'
import { cacheStorage } from '../src/index.ts'

const factory = async () => {
  const cache = `test-${crypto.randomUUID()}`
  const driver = cacheStorage({ cache })
  return { driver, reopen: () => cacheStorage({ cache }), teardown: async () => void (await caches.delete(cache)) }
}

serveCases(Object.fromEntries(conformanceCases.map((testCase) => [testCase.name, () => testCase.run(factory)])))
