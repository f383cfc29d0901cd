import { runStorageAdapterTests } from '@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js'
import { createStore, memoryDriver, type Store } from '@stowage/core'
import { describe, expect, it } from 'vitest'
import { stowageAdapter } from '../src/index.ts'

// The published suite, in Node over the memory driver: the quick check; the browsers run it on each tier.
runStorageAdapterTests(async () => ({ adapter: stowageAdapter(createStore(memoryDriver())) }), 'memory store')

/** A store that counts its calls by operation. */
function counted(store: Store = createStore(memoryDriver())) {
  const calls = { load: 0, save: 0, remove: 0, list: 0 }
  const wrapped: Store = {
    load(file) {
      calls.load++
      return store.load(file)
    },
    save(file, data) {
      calls.save++
      return store.save(file, data)
    },
    remove(file) {
      calls.remove++
      return store.remove(file)
    },
    list() {
      calls.list++
      return store.list()
    },
    close: () => store.close(),
  }
  return { store: wrapped, calls }
}

const bytes = (...values: number[]) => new Uint8Array(values)

describe('stowageAdapter', () => {
  it('lists the store once, and loads only the files under the prefix', async () => {
    const { store, calls } = counted()
    const adapter = stowageAdapter(store)
    for (let doc = 0; doc < 50; doc++)
      for (let chunk = 0; chunk < 4; chunk++) await adapter.save([`d${doc}`, 'incremental', `h${chunk}`], bytes(doc))
    await adapter.loadRange(['d7'])
    const loads = calls.load
    const chunks = await adapter.loadRange(['d7', 'incremental'])
    expect(chunks.map(({ key }) => key[2])).toEqual(['h0', 'h1', 'h2', 'h3'])
    expect(calls.load - loads).toBe(4)
    await adapter.removeRange(['d8'])
    expect(await adapter.loadRange(['d8'])).toEqual([])
    expect(calls.list).toBe(1)
  })

  it('finds what an earlier adapter stored, and ignores other namespaces and other files', async () => {
    const shared = createStore(memoryDriver())
    await shared.save('graph.bin', bytes(1))
    await stowageAdapter(shared).save(['doc', 'snapshot', 'a'], bytes(2))
    await stowageAdapter(shared, { namespace: 'other' }).save(['doc', 'snapshot', 'b'], bytes(3))
    const again = stowageAdapter(shared)
    expect(await again.loadRange([])).toEqual([{ key: ['doc', 'snapshot', 'a'], data: bytes(2) }])
    await again.removeRange([])
    expect((await shared.list()).sort()).toEqual(['graph.bin', 'other.doc.snapshot.b'])
  })

  it('stores long keys whole, and finds them by range', async () => {
    const shared = createStore(memoryDriver())
    const adapter = stowageAdapter(shared)
    const long = ['doc', 'auth', 'k'.repeat(400)]
    const longer = ['doc', 'auth', `${'k'.repeat(400)}2`]
    await adapter.save(long, bytes(1, 2))
    await adapter.save(longer, bytes(3))
    expect(await adapter.load(long)).toEqual(bytes(1, 2))
    const fresh = stowageAdapter(shared)
    expect(await fresh.loadRange(['doc', 'auth'])).toEqual([
      { key: long, data: bytes(1, 2) },
      { key: longer, data: bytes(3) },
    ])
    expect(await fresh.loadRange(['doc', 'other'])).toEqual([])
    await fresh.removeRange(['doc', 'auth', 'k'.repeat(400)])
    expect(await fresh.load(long)).toBeUndefined()
    expect(await fresh.load(longer)).toEqual(bytes(3))
  })

  it('does not take back a name removed while the listing was out', async () => {
    const { store, calls } = counted()
    await stowageAdapter(store).save(['doc', 'a'], bytes(1))
    // A listing taken before the remove, that answers after it.
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const adapter = stowageAdapter({ ...store, list: () => gate.then(() => ['automerge.doc.a']) })
    const range = adapter.loadRange(['doc'])
    await adapter.remove(['doc', 'a'])
    release()
    expect(await range).toEqual([])
    expect(calls.load).toBe(0)
  })

  it('follows other tabs through watch', async () => {
    const inner = createStore(memoryDriver())
    let announce: (change: { file: string; op: 'save' | 'remove' }) => void = () => {}
    const watch = (listener: typeof announce) => {
      announce = listener
      return () => {}
    }
    const adapter = stowageAdapter({ ...inner, watch })
    expect(await adapter.loadRange(['doc'])).toEqual([])
    await inner.save('automerge.doc.a', bytes(5))
    announce({ file: 'automerge.doc.a', op: 'save' })
    announce({ file: 'unrelated', op: 'save' })
    expect(await adapter.loadRange(['doc'])).toEqual([{ key: ['doc', 'a'], data: bytes(5) }])
    await inner.remove('automerge.doc.a')
    announce({ file: 'automerge.doc.a', op: 'remove' })
    expect(await adapter.loadRange(['doc'])).toEqual([])
  })

  it('passes on errors other than a missing file', async () => {
    const inner = createStore(memoryDriver())
    await inner.close()
    await expect(stowageAdapter(inner).load(['x'])).rejects.toMatchObject({ code: 'CLOSED' })
  })
})
