import { createStore } from '@stowage/core'
import { check, checkBytes, randomBytes } from '@stowage/core/conformance'
import { conformanceCases } from '@stowage/core/conformance'
import { describeConformance } from '@stowage/core/conformance/vitest'
import { workerSuite } from '@stowage/browsers/suite'
import { describe, it } from 'vitest'
import { cdp } from 'vitest/browser'
import { idb } from '../src/index.ts'
import { probeCases, workerCases } from './cases.ts'
import { bigCases, chunkCases } from './chunk-cases.ts'
import { deleteDatabase, factory, freshName, patched } from './support.ts'

const worker = () => new Worker(new URL('./idb.worker.ts', import.meta.url), { type: 'module' })

workerSuite(
  'idb conformance in a dedicated worker',
  worker,
  conformanceCases.map((testCase) => testCase.name),
)
describeConformance('idb on the main thread', factory)

workerSuite('idb faults, raw storage and reconnection in a dedicated worker', worker, Object.keys(workerCases))
workerSuite('idb probe in a dedicated worker', worker, Object.keys(probeCases))
workerSuite('idb chunks in a dedicated worker', worker, [...Object.keys(chunkCases), ...Object.keys(bigCases)])

describe('idb probe on the main thread', () => {
  for (const [name, body] of Object.entries(probeCases)) it(name, body)
})

describe('idb connection closed by the browser', () => {
  // Clearing the origin's IndexedDB makes Chromium close every connection and fire `close`. It
  // wipes every database of this origin, so it must stay the only test file of this package
  // that runs here while it does.
  it('a connection closed by the browser (onclose) is reopened on the next call', async () => {
    const database = freshName()
    const store = createStore(idb({ database }))
    try {
      const connections: IDBDatabase[] = []
      await patched(
        IDBFactory.prototype,
        'open',
        (open) =>
          function (this: IDBFactory, name: string, version?: number) {
            const request = open.call(this, name, version)
            request.addEventListener('success', () => connections.push(request.result))
            return request
          },
        () => store.save('f', randomBytes(1024)),
      )
      check(connections.length === 1, `the first save opened ${connections.length} connections`)
      const closed = new Promise((resolve) => connections[0]!.addEventListener('close', resolve))
      await cdp().send('Storage.clearDataForOrigin', { origin: location.origin, storageTypes: 'indexeddb' })
      await closed
      const bytes = randomBytes(1024)
      await store.save('f', bytes)
      checkBytes(await store.load('f'), bytes, 'load after the browser closed the connection')
    } finally {
      await store.close()
      await deleteDatabase(database)
    }
  })
})
