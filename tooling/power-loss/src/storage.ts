import type { Lab } from '@stowage/browser-lab/src/lab.ts'

/**
 * Where the lab's browser keeps what Stowage's three tiers write for the lab's origin, by path
 * from the profile's root: what the recording logs and what a crash state replaces. The rest of
 * the profile (preferences, history, caches, telemetry, the browser's own databases) is taken
 * from the clean snapshot as it was: the driver never reads it, and each of its pieces would only
 * multiply the states by disks that load alike.
 */
export function storageOf({ engine, origin }: Pick<Lab, 'engine' | 'origin'>): string[] {
  switch (engine) {
    case 'chromium':
      // OPFS, IndexedDB, and the quota database that lists their buckets.
      return ['/Default/File System', '/Default/IndexedDB', '/Default/WebStorage']
    case 'firefox':
      return [
        // The origin's folder: OPFS (fs/: metadata.sqlite names the files beside it), IndexedDB
        // (idb/: SQLite with its WAL), and .metadata-v2, which the quota manager reads back at
        // every start after a crash. Its name is the origin with ':' and '/' made '+'.
        `/storage/default/${origin.replaceAll(/[:/]/g, '+')}`,
        // The quota manager's database, read at every start: which origins exist, and their usage
        // once it is cached. A rollback journal, whose name an fsync of the root makes durable.
        '/storage.sqlite',
        '/storage.sqlite-journal',
        // Left out: storage/permanent/chrome (the browser's own IndexedDB) and
        // storage/ls-archive.sqlite (localStorage), which the lab's pages never use.
      ]
    case 'webkit':
      throw new Error('No power-loss trial on WebKit yet: where WebKitGTK keeps its storage has not been looked at')
  }
}
