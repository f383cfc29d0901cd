import { dirname } from 'node:path'
import type { Op } from './log.js'
import { type Mark, markAt } from './marks.js'

/**
 * The crash-state model (see the README for the rules in words). A recording is turned once into
 * a timeline of steps, each at the index of the logged operation it came from; a crash state at
 * point k is then a choice among the steps before k that were not yet durable.
 */

/** The page size of the page cache: a write reaches the disk page by page, each page whole or not. */
export const PAGE = 4096

/** A change to one file's bytes: a write cut at page boundaries, or a truncate. */
export type Piece =
  | { kind: 'write'; id: number; at: number; inode: number; offset: number; data: Uint8Array }
  | { kind: 'truncate'; id: number; at: number; inode: number; size: number }

/** A change to the names: durable only once an fsync of the directory it changed followed it. */
export type NameChange =
  | { kind: 'link'; path: string; inode: number }
  | { kind: 'mkdir' | 'rmdir' | 'unlink'; path: string }
  | { kind: 'rename'; path: string; to: string }

/** A recording cut into what the model needs; every step carries the index of its logged operation. */
export interface Timeline {
  /** The file contents and folders the recording started from (the clean snapshot). */
  start: Disk
  /** How many operations the log holds: crash points are 0..length. */
  length: number
  pieces: Piece[]
  names: { at: number; change: NameChange }[]
  /** Index of each fsync/fdatasync of an inode, with the name it was made through. */
  syncs: { at: number; inode: number; path: string; datasync: boolean }[]
  /** Index of each fsync of a directory, by path. */
  dirSyncs: { at: number; dir: string }[]
  marks: { at: number; mark: Mark }[]
}

/** A disk: file contents by path, and the folders that exist. */
export interface Disk {
  files: Map<string, Uint8Array>
  dirs: Set<string>
  /**
   * When each file that is as the snapshot had it was last modified there, in ms: a driver may
   * date its copies by it (opfs-async's `savedAt` is `File.lastModified`). A file written since
   * has none: it is written out anew, with the time of that.
   */
  mtimes?: Map<string, number>
}

/** What one crash state keeps of what was not durable at its crash point. */
export interface CrashState {
  /** The crash came after the first `point` operations of the log. */
  point: number
  /** The non-durable pieces it keeps, by id. */
  kept: Set<number>
  /** Name changes before this index are on disk: the durable ones and a prefix of the rest. */
  namesUpTo: number
  /** For the report: per file, how many pieces were pending and how many of them it keeps. */
  pending: { path: string; pending: number; kept: number; mode: Mode }[]
  namesPending: number
  namesKept: number
  /** The pending name changes it drops, in words (e.g. `create /Default/...`). */
  namesDropped: string[]
  /**
   * Whether every file keeps a prefix of its pending pieces: a state that writeback in the
   * order of each file's writes could leave too (ext4's data=ordered comes close for appends).
   * False when some file keeps a later page and loses an earlier one.
   */
  inOrder: boolean
}

/** How a crash state picks among a file's pending pieces. */
export type Mode = 'none' | 'all' | 'prefix' | 'subset' | 'all-but-one'
const MODES: Mode[] = ['none', 'all', 'prefix', 'subset', 'all-but-one']

/** Builds the timeline of a log recorded from the `start` disk. Marks are read from their paths. */
export function timeline(start: Disk, ops: Op[]): Timeline {
  const line: Timeline = { start, length: ops.length, pieces: [], names: [], syncs: [], dirSyncs: [], marks: [] }
  // Which inode each name refers to as the operations happen: every operation applied.
  const names = new Map<string, number>()
  let inodes = 0
  for (const path of start.files.keys()) names.set(path, inodes++)
  const inodeOf = (path: string, at: number) => {
    const inode = names.get(path)
    if (inode === undefined) throw new Error(`Operation ${at} on ${path}, a file the log never created`)
    return inode
  }
  ops.forEach((op, at) => {
    const mark = markAt(op.path)
    if (mark) {
      if (op.op === 'create') line.marks.push({ at, mark })
      return
    }
    switch (op.op) {
      case 'write':
        for (let from = 0; from < op.data.length; ) {
          const offset = op.offset + from
          const to = Math.min(op.data.length, from + PAGE - (offset % PAGE))
          const data = op.data.subarray(from, to)
          line.pieces.push({ kind: 'write', id: line.pieces.length, at, inode: inodeOf(op.path, at), offset, data })
          from = to
        }
        break
      case 'truncate':
        line.pieces.push({ kind: 'truncate', id: line.pieces.length, at, inode: inodeOf(op.path, at), size: op.size })
        break
      case 'fsync':
        line.syncs.push({ at, inode: inodeOf(op.path, at), path: op.path, datasync: op.datasync })
        break
      case 'fsyncdir':
        line.dirSyncs.push({ at, dir: op.path })
        break
      case 'create': {
        const inode = inodes++
        names.set(op.path, inode)
        line.names.push({ at, change: { kind: 'link', path: op.path, inode } })
        break
      }
      case 'unlink':
        names.delete(op.path)
        line.names.push({ at, change: { kind: 'unlink', path: op.path } })
        break
      case 'rename':
        renameIn(names, op.path, op.to)
        line.names.push({ at, change: { kind: 'rename', path: op.path, to: op.to } })
        break
      case 'mkdir':
      case 'rmdir':
        line.names.push({ at, change: { kind: op.op, path: op.path } })
        break
    }
  })
  return line
}

/**
 * A random crash state at `point`. Durable, and so always kept: every piece of a file before the
 * file's last fsync before the point, and every name change up to the last one that an fsync of
 * its directory made durable (the ones before it too: a journal commits them in order). Of the
 * rest, each file independently keeps its pending pieces by a random mode, and the name changes
 * keep a random prefix.
 */
export function crashState(line: Timeline, point: number, random: () => number): CrashState {
  const syncedUpTo = new Map<number, number>()
  for (const { at, inode } of line.syncs) if (at < point) syncedUpTo.set(inode, at)
  const pendingByInode = new Map<number, Piece[]>()
  for (const piece of line.pieces) {
    if (piece.at >= point || piece.at < (syncedUpTo.get(piece.inode) ?? -1)) continue
    pendingByInode.set(piece.inode, [...(pendingByInode.get(piece.inode) ?? []), piece])
  }
  const kept = new Set<number>()
  const pending: CrashState['pending'] = []
  let inOrder = true
  for (const [inode, pieces] of pendingByInode) {
    const mode = MODES[Math.floor(random() * MODES.length)]!
    const chosen = choose(pieces, mode, random)
    for (const piece of chosen) kept.add(piece.id)
    inOrder &&= chosen.every((piece, i) => piece === pieces[i])
    pending.push({ path: pathOf(line, inode, point), pending: pieces.length, kept: chosen.length, mode })
  }

  const durable = durableNamesUpTo(line, point)
  const open = line.names.filter(({ at }) => at > durable && at < point)
  const namesKept = open.length ? pick(random, open.length + 1) : 0
  const namesUpTo = namesKept ? open[namesKept - 1]!.at + 1 : durable + 1
  const namesDropped = open.slice(namesKept).map(({ change }) => describeChange(change))
  return { point, kept, namesUpTo, pending, namesPending: open.length, namesKept, namesDropped, inOrder }
}

/** The same crash state with every name change before its point kept: as if every directory had been fsynced. */
export function withDirectoriesSynced(state: CrashState): CrashState {
  return { ...state, namesUpTo: state.point, namesKept: state.namesPending, namesDropped: [] }
}

/**
 * The same crash state with every piece kept, up to its point, of the files that the browser
 * never fsyncs in the whole log: as if it had fsynced them just before the crash.
 */
export function withUnsyncedFilesKept(line: Timeline, state: CrashState): CrashState {
  const synced = new Set(line.syncs.map(({ inode }) => inode))
  return keeping(line, state, (piece) => !synced.has(piece.inode))
}

/**
 * The same crash state with the writes kept that the browser makes to its own databases and never
 * fsyncs, which no web API lets a driver flush either:
 * - every LevelDB log that its database had switched away from, as if LevelDB fsynced a log when
 *   it moves on to the next (it closes the old one unsynced): a write in the old log that a later,
 *   synced commit in the new log builds on (Chromium writes a large IndexedDB transaction in
 *   parts before its commit) then stays;
 * - OPFS's `Paths` database in Chromium, which records which backing file each name is: written
 *   when a file is created, moved or removed, and never fsynced.
 */
export function withBrowserDatabasesSynced(line: Timeline, state: CrashState): CrashState {
  return keeping(line, state, (piece) => {
    const path = pathOf(line, piece.inode, state.point)
    return OPFS_PATHS.test(path) || switchedAway(line, path, piece.at, state.point)
  })
}

/** The same crash state keeping, besides what it kept, every piece before its point that `also` picks. */
function keeping(line: Timeline, state: CrashState, also: (piece: Piece) => boolean): CrashState {
  const kept = new Set(state.kept)
  for (const piece of line.pieces) if (piece.at < state.point && also(piece)) kept.add(piece.id)
  return { ...state, kept }
}

/** Chromium's OPFS name database: `File System/<bucket>/t/Paths/`. */
const OPFS_PATHS = /\/File System\/[^/]+\/t\/Paths\//

/** Whether `path` is a LevelDB log that a newer log of the same folder was fsynced after `at`, before `point`. */
function switchedAway(line: Timeline, path: string, at: number, point: number): boolean {
  const number = logNumber(path)
  if (number === undefined) return false
  return line.syncs.some(
    (sync) =>
      sync.at > at &&
      sync.at < point &&
      dirname(sync.path) === dirname(path) &&
      (logNumber(sync.path) ?? Number.NEGATIVE_INFINITY) > number,
  )
}

const logNumber = (path: string) => {
  const match = /\/(\d+)\.log$/.exec(path)
  return match ? Number(match[1]) : undefined
}

function describeChange(change: NameChange): string {
  const what = change.kind === 'link' ? 'create' : change.kind
  return change.kind === 'rename' ? `${what} ${change.path} -> ${change.to}` : `${what} ${change.path}`
}

/** The disk a crash state leaves: the start, with every kept name change and piece applied in log order. */
export function diskOf(line: Timeline, state: CrashState): Disk {
  const inodes: Uint8Array[] = []
  const sizes: number[] = []
  const startTimes: (number | undefined)[] = []
  const names = new Map<string, number>()
  for (const [path, bytes] of line.start.files) {
    names.set(path, inodes.length)
    sizes.push(bytes.length)
    inodes.push(bytes)
    startTimes.push(line.start.mtimes?.get(path))
  }
  const dirs = new Set(line.start.dirs)
  // The start's buffers are shared by every state: an inode is copied before its first change.
  const owned = new Set<number>()
  const writable = (inode: number, size: number): Uint8Array => {
    const bytes = inodes[inode] ?? new Uint8Array(0)
    if (owned.has(inode) && size <= bytes.length) return bytes
    const copy = new Uint8Array(Math.max(size, owned.has(inode) ? bytes.length * 2 : bytes.length))
    copy.set(bytes.subarray(0, Math.min(sizes[inode] ?? 0, copy.length)))
    owned.add(inode)
    inodes[inode] = copy
    return copy
  }
  const steps = [
    ...line.names.filter(({ at }) => at < state.namesUpTo).map((step) => ({ at: step.at, step })),
    ...line.pieces
      .filter((piece) => piece.at < state.point && (state.kept.has(piece.id) || durablePiece(line, piece, state.point)))
      .map((piece) => ({ at: piece.at, step: piece })),
  ].sort((a, b) => a.at - b.at)
  for (const { step } of steps) {
    if ('change' in step) {
      const { change } = step
      switch (change.kind) {
        case 'link':
          names.set(change.path, change.inode)
          break
        case 'unlink':
          names.delete(change.path)
          break
        case 'mkdir':
          dirs.add(change.path)
          break
        case 'rmdir':
          dirs.delete(change.path)
          break
        case 'rename':
          renameIn(names, change.path, change.to)
          for (const dir of [...dirs]) {
            if (dir !== change.path && !dir.startsWith(`${change.path}/`)) continue
            dirs.delete(dir)
            dirs.add(change.to + dir.slice(change.path.length))
          }
      }
      continue
    }
    const { inode } = step
    const old = sizes[inode] ?? 0
    const size = step.kind === 'truncate' ? step.size : Math.max(old, step.offset + step.data.length)
    const bytes = writable(inode, size)
    // Past a file's size the buffer stays zero, so a file that shrinks and grows again reads zeros there.
    if (size < old) bytes.fill(0, size, old)
    if (step.kind === 'write') bytes.set(step.data, step.offset)
    sizes[inode] = size
  }
  const files = new Map<string, Uint8Array>()
  const mtimes = new Map<string, number>()
  for (const [path, inode] of names) {
    files.set(path, (inodes[inode] ?? new Uint8Array(0)).subarray(0, sizes[inode] ?? 0))
    // Unwritten since the snapshot (a rename keeps a file's time): the snapshot's time.
    const time = startTimes[inode]
    if (time !== undefined && !owned.has(inode)) mtimes.set(path, time)
  }
  return { files, dirs, mtimes }
}

function durablePiece(line: Timeline, piece: Piece, point: number): boolean {
  return line.syncs.some(({ at, inode }) => inode === piece.inode && at > piece.at && at < point)
}

/** The index of the last name change made durable before `point` (-1 if none). */
function durableNamesUpTo(line: Timeline, point: number): number {
  let durable = -1
  for (const { at, dir } of line.dirSyncs) {
    if (at >= point) break
    for (const { at: changed, change } of line.names) {
      if (changed >= at) break
      if (changes(change).includes(dir)) durable = Math.max(durable, changed)
    }
  }
  return durable
}

/** The directories a name change changes. */
function changes(change: NameChange): string[] {
  return change.kind === 'rename' ? [dirname(change.path), dirname(change.to)] : [dirname(change.path)]
}

function choose(pieces: Piece[], mode: Mode, random: () => number): Piece[] {
  switch (mode) {
    case 'none':
      return []
    case 'all':
      return pieces
    case 'prefix':
      return pieces.slice(0, pick(random, pieces.length + 1))
    case 'subset':
      return pieces.filter(() => random() < 0.5)
    case 'all-but-one': {
      const dropped = pick(random, pieces.length)
      return pieces.filter((_, i) => i !== dropped)
    }
  }
}

function pick(random: () => number, below: number): number {
  return Math.floor(random() * below)
}

/** Moves a name, and every name below it when it is a folder. */
function renameIn(names: Map<string, number>, from: string, to: string): void {
  for (const [path, inode] of [...names]) {
    if (path !== from && !path.startsWith(`${from}/`)) continue
    names.delete(path)
    names.set(to + path.slice(from.length), inode)
  }
}

/** The name an inode had at `point`, for reports. */
function pathOf(line: Timeline, inode: number, point: number): string {
  let path = pathOfStart(line, inode)
  for (const { at, change } of line.names) {
    if (at >= point) break
    if (change.kind === 'link' && change.inode === inode) path = change.path
    else if (change.kind === 'rename' && (path === change.path || path.startsWith(`${change.path}/`)))
      path = change.to + path.slice(change.path.length)
  }
  return path
}

/** Inodes of the start's files are numbered in the order of its map. */
function pathOfStart(line: Timeline, inode: number): string {
  return [...line.start.files.keys()][inode] ?? `(inode ${inode})`
}

/** A crash point, and how much is pending there. */
export interface CrashPoint {
  at: number
  /** Name changes, and pieces of files that the browser fsyncs at some time, not durable at `at`. */
  pending: number
}

/**
 * The crash points worth a state, in log order: just before each fsync of a file or a directory
 * and each mark, and the end of the log. Between two of them nothing becomes durable and the test
 * learns nothing, and what is pending only grows: any state of a crash in between is also a state
 * of a crash at the next of these points. Only files that the browser fsyncs at some time count
 * as pending: the pages of a file it never fsyncs (a usage cache, say) pile up everywhere and
 * would say nothing about where a flush is missing.
 */
export function crashPoints(line: Timeline): CrashPoint[] {
  const points = new Set([...line.syncs, ...line.dirSyncs, ...line.marks].map(({ at }) => at))
  points.add(line.length)
  const synced = new Set(line.syncs.map(({ inode }) => inode))
  return [...points].sort((a, b) => a - b).map((at) => ({ at, pending: pendingCount(line, at, synced) }))
}

/** How many name changes, and pieces of the `synced` inodes, are not durable at `point`. */
function pendingCount(line: Timeline, point: number, synced: Set<number>): number {
  const durable = durableNamesUpTo(line, point)
  const names = line.names.filter(({ at }) => at > durable && at < point).length
  const pending = (piece: Piece) => piece.at < point && synced.has(piece.inode) && !durablePiece(line, piece, point)
  return names + line.pieces.filter(pending).length
}

/** Counts the browser's fsyncs by kind and name, for the report. */
export function syncCounts(line: Timeline): string[] {
  const counts = new Map<string, number>()
  const count = (what: string) => counts.set(what, (counts.get(what) ?? 0) + 1)
  for (const { path, datasync } of line.syncs) count(`${datasync ? 'fdatasync' : 'fsync'} ${path}`)
  for (const { dir } of line.dirSyncs) count(`fsync dir ${dir}`)
  return [...counts].map(([what, n]) => `${n} ${what}`)
}
