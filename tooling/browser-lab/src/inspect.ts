declare global {
  // Not in TypeScript's DOM lib without DOM.AsyncIterable.
  interface FileSystemDirectoryHandle {
    entries(): AsyncIterableIterator<[string, FileSystemDirectoryHandle | FileSystemFileHandle]>
  }
}

/**
 * What the browser holds around a trial's namespace, for a failure report: the OPFS root, the
 * namespace's directory with sizes (swap and internal files included), the IndexedDB databases,
 * and the origin's usage as the quota manager counts it.
 * Tells "the file is gone" apart from "everything is gone" and shows what a crash left behind.
 */
export async function inspect(place: string): Promise<string[]> {
  const root = await navigator.storage.getDirectory()
  const lines = [`OPFS /: ${(await listing(root)).join(' ') || '(empty)'}`]
  const dir = await root.getDirectoryHandle(place).catch(() => undefined)
  if (dir) lines.push(`OPFS /${place}/: ${(await listing(dir)).join(' ') || '(empty)'}`)
  lines.push(`${INDEXEDDB}${await databaseNames().catch((error) => `${FAILED}${String(error)})`)}`)
  const { usage = 0 } = await navigator.storage.estimate()
  lines.push(`Usage: ${usage} B`)
  return lines
}

async function databaseNames(): Promise<string> {
  const databases = await indexedDB.databases?.()
  return databases ? databases.map(({ name }) => name).join(' ') || '(none)' : UNLISTED
}

const INDEXEDDB = 'IndexedDB: '
const UNLISTED = '(not listed by this browser)'
const FAILED = '(failed: '

/**
 * Whether a scene from `inspect` shows the browser failing to open its own IndexedDB backing
 * store. Chromium then deletes the store and starts it over empty (its error names it:
 * "Internal error opening backing store"), so whatever the databases held is gone.
 */
export function backingStoreFailed(scene: string[]): boolean {
  const idb = scene.find((line) => line.startsWith(INDEXEDDB)) ?? ''
  return idb.startsWith(`${INDEXEDDB}${FAILED}`) && /backing store/.test(idb)
}

/**
 * Whether a scene from `inspect` shows the namespace `place` (an OPFS directory at the root, or an
 * IndexedDB database). True where the browser does not list its databases, or failed to: absence
 * is then unknown.
 */
export function holdsNamespace(scene: string[], place: string): boolean {
  const opfs = scene.find((line) => line.startsWith('OPFS /: '))?.split(' ') ?? []
  const idb = scene.find((line) => line.startsWith(INDEXEDDB))?.slice(INDEXEDDB.length) ?? UNLISTED
  const unknown = idb === UNLISTED || idb.startsWith(FAILED)
  return opfs.includes(`${place}/`) || unknown || idb.split(' ').includes(place)
}

/**
 * Whether a scene from `inspect` shows the browser dropping what an IndexedDB database `place`
 * held: the database is listed, yet the whole origin holds fewer bytes than `atLeast`, the least
 * the database must hold. A driver that only ever replaces its value cannot do that; the browser
 * resetting its backing store does.
 */
export function emptiedDatabase(scene: string[], place: string, atLeast: number): boolean {
  const idb =
    scene
      .find((line) => line.startsWith(INDEXEDDB))
      ?.slice(INDEXEDDB.length)
      .split(' ') ?? []
  const usage = Number(/^Usage: (\d+) B$/.exec(scene.find((line) => line.startsWith('Usage: ')) ?? '')?.[1] ?? NaN)
  return idb.includes(place) && usage < atLeast
}

async function listing(dir: FileSystemDirectoryHandle): Promise<string[]> {
  const names: string[] = []
  for await (const [name, handle] of dir.entries()) {
    names.push(handle.kind === 'file' ? `${name} (${(await handle.getFile()).size} B)` : `${name}/`)
  }
  return names.sort()
}
