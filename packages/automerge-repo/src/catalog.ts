import type { Store } from '@stowage/core'

/** What a store may tell about other tabs' writes: worker-host's client has `watch`; a plain Store has not. */
export interface Watchable {
  watch?(listener: (change: { file: string; op: 'save' | 'remove' }) => void): () => void
}

/** The names of one adapter's files, kept in memory so that a range call need not list the store. */
export interface Catalog {
  /** Every name, in the order first seen: found by the one listing, or saved since. */
  names(): Promise<string[]>
  added(name: string): void
  removed(name: string): void
}

/**
 * A catalog of the names `owns` accepts. The store is listed once, as soon as the catalog is made
 * (so that the first document a Repo loads does not wait for a listing), and every save and
 * remove after that (this adapter's own, and other tabs' through `watch` where the
 * store has it) updates the catalog in memory: a range call over thousands of chunks costs a
 * scan of strings, not a directory walk in the worker.
 *
 * Names keep the order in which they were first seen, which is the order automerge-repo's own
 * acceptance suite expects back from `loadRange`.
 */
export function catalog(store: Store & Watchable, owns: (name: string) => boolean): Catalog {
  let known = new Map<string, true>()
  // Names removed while the listing is out: the listing may predate the remove.
  let goneDuringListing: Set<string> | undefined
  let listed: Promise<void> | undefined

  const added = (name: string) => {
    known.set(name, true)
    goneDuringListing?.delete(name)
  }
  const removed = (name: string) => {
    known.delete(name)
    goneDuringListing?.add(name)
  }

  store.watch?.(({ file, op }) => {
    if (owns(file)) (op === 'save' ? added : removed)(file)
  })

  async function list(): Promise<void> {
    const gone = new Set<string>()
    goneDuringListing = gone
    try {
      const found = (await store.list()).filter((name) => owns(name) && !known.has(name) && !gone.has(name))
      known = new Map([...found.map((name) => [name, true] as const), ...known])
    } catch (error) {
      listed = undefined
      throw error
    } finally {
      goneDuringListing = undefined
    }
  }

  // Started now. A range call waiting on a listing that fails rejects with its error; the next one lists again.
  listed = list()
  listed.catch(() => {})

  return {
    async names() {
      listed ??= list()
      await listed
      return [...known.keys()]
    },
    added,
    removed,
  }
}
