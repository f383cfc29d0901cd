import { describe, expect, it } from 'vitest'
import { backingStoreFailed, emptiedDatabase, holdsNamespace } from '../src/inspect.ts'

describe('holdsNamespace, read from an inspected scene', () => {
  const scene = (opfs: string, idb: string) => [`OPFS /: ${opfs}`, `IndexedDB: ${idb}`, 'Usage: 1306 B']

  it('finds an OPFS directory at the root or an IndexedDB database by its exact name', () => {
    expect(holdsNamespace(scene('crash-opfs-sync/ other/', '(none)'), 'crash-opfs-sync')).toBe(true)
    expect(holdsNamespace(scene('(empty)', 'crash-idb other'), 'crash-idb')).toBe(true)
  })

  it('says gone when neither holds it, a file or a longer name included', () => {
    expect(holdsNamespace(scene('(empty)', '(none)'), 'crash-idb')).toBe(false)
    expect(holdsNamespace(scene('crash-idb (12 B) crash-idb-2/', 'crash-idb-2'), 'crash-idb')).toBe(false)
  })

  it('never says gone where the browser does not list its databases', () => {
    expect(holdsNamespace(scene('(empty)', '(not listed by this browser)'), 'crash-idb')).toBe(true)
    expect(holdsNamespace(['inspect failed: Error: x'], 'crash-idb')).toBe(true)
    expect(holdsNamespace(scene('(empty)', `(failed: ${BACKING_STORE})`), 'crash-idb')).toBe(true)
  })
})

const BACKING_STORE = 'UnknownError: Internal error opening backing store for indexedDB.open.'

describe('backingStoreFailed, read from an inspected scene', () => {
  const scene = (idb: string) => ['OPFS /: (empty)', `IndexedDB: ${idb}`, 'Usage: 1327 B']

  it("says failed when listing the databases failed with the browser's backing-store error", () => {
    expect(backingStoreFailed(scene(`(failed: ${BACKING_STORE})`))).toBe(true)
  })

  it('says not failed for a listing, another error, or a database that happens to be named so', () => {
    expect(backingStoreFailed(scene('crash-idb'))).toBe(false)
    expect(backingStoreFailed(scene('(failed: TypeError: x)'))).toBe(false)
    expect(backingStoreFailed(scene('backing store'))).toBe(false)
    expect(backingStoreFailed([`inspect failed: ${BACKING_STORE}`])).toBe(false)
  })
})

describe('emptiedDatabase, read from an inspected scene', () => {
  const scene = (idb: string, usage: number) => ['OPFS /: (empty)', `IndexedDB: ${idb}`, `Usage: ${usage} B`]

  it('says emptied when the database is listed but the origin holds fewer bytes than the least save', () => {
    expect(emptiedDatabase(scene('crash-idb', 1306), 'crash-idb', 200_000)).toBe(true)
  })

  it('says not emptied when the bytes are there, the database is missing, or usage is not known', () => {
    expect(emptiedDatabase(scene('crash-idb', 5_071_971), 'crash-idb', 200_000)).toBe(false)
    expect(emptiedDatabase(scene('(none)', 1306), 'crash-idb', 200_000)).toBe(false)
    expect(emptiedDatabase(['OPFS /: (empty)', 'IndexedDB: crash-idb'], 'crash-idb', 200_000)).toBe(false)
  })
})
