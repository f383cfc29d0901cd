import { backingStoreFailed, holdsNamespace } from '@stowage/browser-lab/src/inspect.ts'
import { diskKey } from './disk.js'
import { LOSSES, type PowerProblem, RESURRECTION } from './judge.js'
import {
  type CrashState,
  type Disk,
  diskOf,
  type Timeline,
  withBrowserDatabasesSynced,
  withDirectoriesSynced,
  withUnsyncedFilesKept,
} from './model.js'

/** How the same crash state fared with something synced that the browser left unsynced; `same disk` when that changed nothing. */
export type Twin = 'survived' | 'lost' | 'same disk'

/** Who lost a state: what was wrong, and what the browser showed of its own doing. */
export interface Evidence {
  problem: PowerProblem
  /** The browser's own LevelDB logs reporting corruption, after it booted on the state. */
  tornLogs: string[]
  /** Before the driver looked, the browser held no such directory or database, or failed to open its IndexedDB. */
  droppedByBrowser: boolean
  /**
   * The same state booted again with every name change before the crash kept, as if the browser
   * had fsynced the directories it changed (no driver can: no web API reaches a directory's fsync).
   * `same disk` when the state dropped none.
   */
  withDirectoriesSynced: Twin
  /**
   * That state with, besides, the writes kept that the browser makes to its own databases and
   * never fsyncs (LevelDB logs it switched away from, OPFS's `Paths` database in Chromium): writes
   * no driver can flush. Booted only for a loss that nothing else explains.
   */
  withBrowserDatabasesSynced?: Twin
  /**
   * The lost state, and if that does not survive, the twin above, with every page kept of the
   * files that the browser never fsynced in the whole recording, as if it had (Firefox's
   * opfs-async: the bytes of each createWritable save, while their names are committed in its
   * fsynced metadata.sqlite). Booted only for a loss that nothing else explains, of a driver that
   * cannot flush (`flushes: false`).
   */
  withUnsyncedFilesKept?: Twin
  /**
   * The browser fsynced no file and no directory in the whole recording: the tier's API never
   * reached the disk, so nothing a driver did on it was durable, nor ordered against anything else.
   */
  nothingSynced: boolean
}

/**
 * Whether a lost state is the browser's loss, by its evidence: a loss (not a tear), or a save
 * back after its acknowledged remove (by the twins only), that
 * disappears once every directory is synced, or besides once the browser's own databases' writes
 * that it never fsyncs are kept (model.ts), or, for a driver that cannot flush, the files the
 * browser never fsyncs, or that the browser's own engine reported (a corrupt LevelDB log) or made (a database or
 * directory gone before the driver looked). Or any failure at all on a tier where the browser
 * fsynced nothing: no driver can order writes that its browser never flushes.
 */
export function lostByBrowser(lost: Evidence): boolean {
  const twins = [lost.withDirectoriesSynced, lost.withBrowserDatabasesSynced, lost.withUnsyncedFilesKept].includes(
    'survived',
  )
  const evidence = twins || lost.tornLogs.length > 0 || lost.droppedByBrowser
  return lost.nothingSynced || (LOSSES.includes(lost.problem) && evidence) || (lost.problem === RESURRECTION && twins)
}

/**
 * Whether, before the driver looked (`before`), the browser lacked the namespace `place`, or,
 * where it is an IndexedDB database (`indexedDB`), failed to open its IndexedDB.
 */
export const droppedBefore = (before: string[], place: string, indexedDB = true) =>
  !holdsNamespace(before, place) || (indexedDB && backingStoreFailed(before))

/**
 * Firefox's OPFS journal (`metadata.sqlite-journal`) in `state` with a later page kept and an
 * earlier one lost: SQLite's `synchronous=NORMAL`, which Firefox runs it in, fsyncs a rollback
 * journal once, so a power cut may keep it torn, and rolling it back can then lose entries of
 * the database (a directory, or only a file: seen once each in CI, 2026-12-05 and 12-06).
 */
function tornJournals(state: CrashState): string[] {
  return state.pending
    .filter(
      ({ path, mode }) => path.endsWith('/fs/metadata.sqlite-journal') && (mode === 'subset' || mode === 'all-but-one'),
    )
    .map(
      ({ path, kept, pending }) =>
        `${path}: kept ${kept} of ${pending} unsynced pages, not in order (synchronous=NORMAL)`,
    )
}

/**
 * Tells a lost state's evidence by booting its twins (each distinct disk once, through `boot`), a
 * step at a time: every directory synced; then, for a loss nothing else explains, the browser's
 * own databases kept; then, for a driver that cannot flush (`flushes: false`), the files the
 * browser never fsynced kept whole. Each twin costs a launch.
 */
export function explainer<F>(timeline: Timeline, boot: (disk: Disk) => Promise<F>, flushes: boolean) {
  const booted = new Map<string, F>()
  /** Boots a twin (once per distinct disk) and judges it; `same disk` when it leaves the disk `than`. */
  const twin = async (state: CrashState, than: string, survives: (found: F) => boolean) => {
    const disk = diskOf(timeline, state)
    const key = diskKey(disk)
    if (key === than) return { key, outcome: 'same disk' as Twin }
    if (!booted.has(key)) booted.set(key, await boot(disk))
    return { key, outcome: (survives(booted.get(key)!) ? 'survived' : 'lost') as Twin }
  }
  /** The evidence for the lost `state`, whose disk is `key`, with what the boot of it showed (`shown`). */
  return async (
    state: CrashState,
    key: string,
    survives: (found: F) => boolean,
    shown: Pick<Evidence, 'problem' | 'tornLogs' | 'droppedByBrowser'>,
  ): Promise<Evidence> => {
    const dirsSynced = withDirectoriesSynced(state)
    const dirs = await twin(dirsSynced, key, survives)
    const evidence: Evidence = {
      ...shown,
      tornLogs: [...shown.tornLogs, ...tornJournals(state)],
      withDirectoriesSynced: dirs.outcome,
      nothingSynced: timeline.syncs.length + timeline.dirSyncs.length === 0,
    }
    const unexplained = () => [...LOSSES, RESURRECTION].includes(evidence.problem) && !lostByBrowser(evidence)
    if (unexplained()) {
      const databasesSynced = withBrowserDatabasesSynced(timeline, dirsSynced)
      const databases = await twin(databasesSynced, dirs.key, survives)
      evidence.withBrowserDatabasesSynced = databases.outcome
      if (unexplained() && !flushes) {
        // Alone first, as it changes least: the names the twins above restore can bring back
        // the browser's own journal with some of its pages, a loss of its own that hides
        // this one (a Firefox state whose twins differed only in its OPFS journal, 2026-12-06).
        const alone = await twin(withUnsyncedFilesKept(timeline, state), key, survives)
        const files =
          alone.outcome === 'survived'
            ? alone
            : await twin(withUnsyncedFilesKept(timeline, databasesSynced), databases.key, survives)
        evidence.withUnsyncedFilesKept = files.outcome
      }
    }
    return evidence
  }
}
