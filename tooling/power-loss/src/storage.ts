import type { Lab } from '@stowage/browser-lab/src/lab.ts'

/**
 * Where the lab's browser keeps what Stowage's three tiers write for the lab's origin, by path
 * from the profile's root, OPFS's folder first: what the recording logs and what a crash state
 * replaces. The rest of
 * the profile (preferences, history, caches, telemetry, the browser's own databases) is taken
 * from the clean snapshot as it was: the driver never reads it, and each of its pieces would only
 * multiply the states by disks that load alike.
 */
export function storageOf({ engine, origin }: Pick<Lab, 'engine' | 'origin'>): string[] {
  switch (engine) {
    case 'chromium':
      // OPFS, IndexedDB, and the quota database that lists their buckets.
      return ['/Default/File System', '/Default/IndexedDB', '/Default/WebStorage']
    case 'firefox': {
      // The origin's folder is named for the origin with ':' and '/' made '+'. Left out of it and
      // of the profile's root: the quota manager's .metadata-v2 and /storage.sqlite. In every
      // recording both were written only as the browser started and as the first save opened the
      // origin, before that save wrote anything of its own, each through its own fsyncs (a file
      // renamed into place, SQLite's journal, a 17-byte update in place), and the snapshot's
      // copies are whole: logged, they only added crash points where nothing of the driver was
      // pending (13 of 24 in one recording of unflushed-relaxed).
      const folder = `/storage/default/${origin.replaceAll(/[:/]/g, '+')}`
      // OPFS (metadata.sqlite names the files beside it, with a rollback journal) and IndexedDB
      // (SQLite with its WAL).
      return [`${folder}/fs`, `${folder}/idb`]
    }
    case 'webkit':
      throw new Error('No power-loss trial on WebKit yet: where WebKitGTK keeps its storage has not been looked at')
  }
}

/**
 * Whether a path of `storageOf` holds the bytes of an OPFS file: the browser opens it anew for
 * each access handle or `File` and keeps none of its bytes in memory, so a disk that differs from
 * the one a running browser booted on only in such files can be loaded without a relaunch, once
 * they are rewritten (replay.ts; each trial checks that claim against a relaunch).
 */
export function isOpfsBytes(lab: Pick<Lab, 'engine' | 'origin'>): (path: string) => boolean {
  // OPFS's folder comes first; beside the files, the database that names them (Chromium's Paths,
  // Firefox's metadata.sqlite) is no such file.
  const [opfs] = storageOf(lab)
  const file = lab.engine === 'chromium' ? /^\d+\/[pt]\/\d+\/\d+$/ : /^[^/]{2}\/[^/]+$/
  return (path) => path.startsWith(`${opfs}/`) && file.test(path.slice(opfs!.length + 1))
}
