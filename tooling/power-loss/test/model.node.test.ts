import { describe, expect, it } from 'vitest'
import type { Op } from '../src/log.ts'
import {
  crashPoints,
  crashState,
  type Disk,
  diskOf,
  PAGE,
  timeline,
  withBrowserDatabasesSynced,
  withUnsyncedFilesKept,
} from '../src/model.ts'
import { seeded } from '../src/random.ts'

const bytes = (fill: number, length: number) => new Uint8Array(length).fill(fill)
const start = (): Disk => ({ files: new Map([['/s/old', bytes(1, 10)]]), dirs: new Set(['/s']) })

/** Every disk that `count` random states at `point` leave. */
function disks(ops: Op[], point: number, count = 300): Disk[] {
  const line = timeline(start(), ops)
  const random = seeded(7)
  return Array.from({ length: count }, () => diskOf(line, crashState(line, point, random)))
}

describe('the crash-state model', () => {
  // Two pages written, then fsynced, then a third page written and never fsynced.
  const ops: Op[] = [
    { op: 'write', path: '/s/old', offset: 0, data: bytes(2, 2 * PAGE) },
    { op: 'fsync', path: '/s/old', datasync: true },
    { op: 'write', path: '/s/old', offset: 2 * PAGE, data: bytes(3, PAGE) },
  ]

  it('keeps every piece a later fsync of its file made durable', () => {
    const seen = new Set(disks(ops, 2).map((disk) => disk.files.get('/s/old')!.join(',')))
    expect(seen).toEqual(new Set([bytes(2, 2 * PAGE).join(',')]))
  })

  it('keeps any subset of the pages not yet fsynced, a later page without an earlier one too', () => {
    const seen = new Set(disks(ops, 1).map((disk) => disk.files.get('/s/old')!.join(',')))
    const first = bytes(2, PAGE)
    const second = [...bytes(1, 10), ...bytes(0, PAGE - 10), ...bytes(2, PAGE)]
    expect(seen).toContain(bytes(1, 10).join(',')) // nothing
    expect(seen).toContain(bytes(2, 2 * PAGE).join(',')) // all
    expect(seen).toContain(first.join(',')) // the first page only: the file ends after it
    expect(seen).toContain(second.join(',')) // the second page only: reordered within the file
    expect(seen.size).toBe(4)
  })

  it("keeps the snapshot's time of a file no kept write changed, a renamed one's too", () => {
    const line = timeline(
      {
        files: new Map([
          ['/s/a', bytes(1, 10)],
          ['/s/b', bytes(1, 10)],
        ]),
        dirs: new Set(['/s']),
        mtimes: new Map([
          ['/s/a', 1000],
          ['/s/b', 2000],
        ]),
      },
      [
        { op: 'write', path: '/s/a', offset: 0, data: bytes(2, 4) },
        { op: 'fsync', path: '/s/a', datasync: true },
        { op: 'rename', path: '/s/b', to: '/s/c' },
        { op: 'fsyncdir', path: '/s' },
      ],
    )
    const disk = diskOf(line, crashState(line, 4, seeded(7)))
    expect(disk.mtimes).toEqual(new Map([['/s/c', 2000]]))
  })

  it('keeps a prefix of the name changes not yet made durable by an fsync of their directory', () => {
    const names: Op[] = [
      { op: 'create', path: '/s/tmp' },
      { op: 'rename', path: '/s/tmp', to: '/s/new' },
      { op: 'unlink', path: '/s/old' },
    ]
    const seen = new Set(disks(names, 3).map((disk) => [...disk.files.keys()].sort().join(' ')))
    expect(seen).toEqual(new Set(['/s/old', '/s/old /s/tmp', '/s/new /s/old', '/s/new']))
  })

  it('keeps every name change up to one that an fsync of its directory made durable', () => {
    const names: Op[] = [
      { op: 'create', path: '/s/a' },
      { op: 'mkdir', path: '/t' },
      { op: 'fsyncdir', path: '/' },
      { op: 'create', path: '/s/b' },
    ]
    const seen = new Set(disks(names, 4).map((disk) => [...disk.files.keys()].sort().join(' ')))
    expect(seen).toEqual(new Set(['/s/a /s/old', '/s/a /s/b /s/old']))
  })

  it('keeps, in the twin with the browser databases synced, an old LevelDB log whose successor was fsynced later', () => {
    const db: Op[] = [
      { op: 'create', path: '/s/000003.log' },
      { op: 'create', path: '/s/000004.log' },
      { op: 'fsyncdir', path: '/s' },
      { op: 'write', path: '/s/000003.log', offset: 0, data: bytes(3, PAGE) },
      { op: 'write', path: '/s/000004.log', offset: 0, data: bytes(4, PAGE) },
      { op: 'fsync', path: '/s/000004.log', datasync: true },
      { op: 'write', path: '/s/000004.log', offset: PAGE, data: bytes(5, PAGE) },
      { op: 'write', path: '/s/old', offset: 0, data: bytes(6, PAGE) },
    ]
    const line = timeline(start(), db)
    const random = seeded(3)
    for (let i = 0; i < 50; i++) {
      const disk = diskOf(line, withBrowserDatabasesSynced(line, crashState(line, db.length, random)))
      // The old log's write, before the new log's fsync: kept. The new log's tail and the other
      // file's write, neither followed by a newer log's fsync: as the state drew them.
      expect(disk.files.get('/s/000003.log')).toEqual(bytes(3, PAGE))
      expect(disk.files.get('/s/000004.log')!.subarray(0, PAGE)).toEqual(bytes(4, PAGE))
    }
    const tails = new Set(
      Array.from({ length: 50 }, () => {
        const disk = diskOf(line, withBrowserDatabasesSynced(line, crashState(line, db.length, random)))
        return `${disk.files.get('/s/000004.log')!.length} ${disk.files.get('/s/old')![0]}`
      }),
    )
    expect(tails).toEqual(new Set([`${PAGE} 1`, `${2 * PAGE} 1`, `${PAGE} 6`, `${2 * PAGE} 6`]))
  })

  it("keeps, in that twin, every write to Chromium's OPFS Paths database and nothing else unsynced", () => {
    const paths = '/Default/File System/000/t/Paths/000003.log'
    const opfs: Op[] = [
      { op: 'write', path: paths, offset: 0, data: bytes(7, PAGE) },
      { op: 'write', path: '/s/old', offset: 0, data: bytes(8, PAGE) },
    ]
    const line = timeline({ ...start(), files: new Map([...start().files, [paths, bytes(0, 0)]]) }, opfs)
    const random = seeded(5)
    const olds = new Set<number>()
    for (let i = 0; i < 50; i++) {
      const disk = diskOf(line, withBrowserDatabasesSynced(line, crashState(line, opfs.length, random)))
      expect(disk.files.get(paths)).toEqual(bytes(7, PAGE))
      olds.add(disk.files.get('/s/old')![0]!)
    }
    expect(olds).toEqual(new Set([1, 8]))
  })

  it('keeps whole, in the twin of a state, the files never fsynced and only those', () => {
    const ops: Op[] = [
      { op: 'write', path: '/s/old', offset: 0, data: bytes(2, PAGE) },
      { op: 'create', path: '/s/new' },
      { op: 'write', path: '/s/new', offset: 0, data: bytes(4, 2 * PAGE) },
      { op: 'fsyncdir', path: '/s' },
      { op: 'fsync', path: '/s/old', datasync: true },
    ]
    const line = timeline(start(), ops)
    const random = seeded(7)
    const olds = new Set<string>()
    for (let i = 0; i < 100; i++) {
      // Before /s/old's fsync: both files have pages pending, and only /s/new is never fsynced.
      const state = crashState(line, 4, random)
      const twin = diskOf(line, withUnsyncedFilesKept(line, state))
      expect(twin.files.get('/s/new')).toEqual(bytes(4, 2 * PAGE))
      const old = diskOf(line, state).files.get('/s/old')!
      expect(twin.files.get('/s/old')).toEqual(old)
      olds.add(old.join(','))
    }
    expect(olds.size).toBe(2)
  })

  it('offers a crash point before each fsync and at the end, with what is pending there', () => {
    expect(crashPoints(timeline(start(), ops))).toEqual([
      { at: 1, pending: 2 },
      { at: 3, pending: 1 },
    ])
  })
})
