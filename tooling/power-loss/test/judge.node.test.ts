import { payload, type Verdict, verify } from '@stowage/browser-lab/src/payload.ts'
import { describe, expect, it } from 'vitest'
import { judgePower } from '../src/judge.ts'
import { markAt, seenAfter } from '../src/marks.ts'
import type { CrashState } from '../src/model.ts'
import type { Found } from '../src/replay.ts'
import type { Lost } from '../src/trial.ts'
import { lostByBrowser } from '../src/twins.ts'

// The loop of a trial with `removeEvery: 3` after the setup's save 1: save 2, remove 3, save 4,
// save 5, remove 6. Its marks, as the recording file system logged them.
const marks = [
  '0.begin',
  '1.started.2.100',
  '2.acked.2',
  '3.started.3.0.remove',
  '4.acked.3',
  '5.started.4.200',
  '6.acked.4',
  '7.started.5.300',
  '8.acked.5',
  '9.started.6.0.remove',
  '10.acked.6',
].map((name) => markAt(`/.power-marks/${name}`)!)
const setup = { acked: 1, started: 1, lengths: new Map([[1, 64]]) }
/** What the test had seen after the first `count` marks. */
const seenAt = (count: number) => seenAfter(setup, marks.slice(0, count))
const lengths = new Map([
  [1, 64],
  [2, 100],
  [4, 200],
  [5, 300],
])
const holding = (seq: number): Found => ({
  load: { verdict: verify(payload(seq, lengths.get(seq)!)) },
  before: [],
  tornLogs: [],
})
const absent: Found = {
  load: { verdict: { seq: null, length: null, size: 0, problem: 'NOT_FOUND' } satisfies Verdict },
  before: [],
  tornLogs: [],
}

describe('the marks of a loop that removes', () => {
  it('tell a remove from a save, and carry no length for it', () => {
    expect(marks[3]).toEqual({ kind: 'started', seq: 3, length: 0, remove: true })
    expect(marks[5]).toEqual({ kind: 'started', seq: 4, length: 200 })
    const seen = seenAt(11)
    expect(seen).toMatchObject({ acked: 6, started: 6, removes: new Set([3, 6]) })
    expect([...seen.lengths.keys()]).toEqual([1, 2, 4, 5])
  })
})

describe('judging a crash state of a loop that removes', () => {
  it('strict: no file after an acknowledged remove or with one in flight; the save after it', () => {
    expect(judgePower(absent, seenAt(4), 'strict')).toEqual({ ok: true, held: 'in-flight' })
    expect(judgePower(absent, seenAt(5), 'strict')).toEqual({ ok: true, held: 'between' })
    expect(judgePower(holding(4), seenAt(6), 'strict')).toEqual({ ok: true, held: 'in-flight' })
    expect(judgePower(holding(2), seenAt(4), 'strict')).toEqual({ ok: true, held: 'previous' })
  })

  it('strict: a save back after its acknowledged remove is resurrected; no file after a save is lost', () => {
    expect(judgePower(holding(2), seenAt(5), 'strict')).toMatchObject({ ok: false, problem: 'RESURRECTED' })
    expect(judgePower(holding(5), seenAt(11), 'strict')).toMatchObject({ ok: false, problem: 'RESURRECTED' })
    expect(judgePower(holding(4), seenAt(9), 'strict')).toMatchObject({ ok: false, problem: 'OLDER_THAN_ACKED' })
    expect(judgePower(absent, seenAt(9), 'strict')).toMatchObject({ ok: false, problem: 'NOT_FOUND' })
  })

  it('relaxed: an older complete state is allowed, no file after an earlier remove and a save it deleted too', () => {
    expect(judgePower(absent, seenAt(9), 'relaxed')).toEqual({ ok: true, held: 'older' })
    expect(judgePower(holding(2), seenAt(9), 'relaxed')).toEqual({ ok: true, held: 'older' })
    expect(judgePower(holding(5), seenAt(11), 'relaxed')).toEqual({ ok: true, held: 'older' })
  })

  it('relaxed: no file with no remove acknowledged yet is still lost', () => {
    expect(judgePower(absent, seenAt(3), 'relaxed')).toMatchObject({ ok: false, problem: 'NOT_FOUND' })
  })
})

describe('whose a resurrection is', () => {
  const state: CrashState = {
    point: 1,
    kept: new Set(),
    namesUpTo: 0,
    pending: [],
    namesPending: 0,
    namesKept: 0,
    namesDropped: [],
    inOrder: true,
  }
  const resurrected: Lost = {
    disk: 1,
    problem: 'RESURRECTED',
    detail: '',
    acked: 3,
    started: 3,
    state,
    tornLogs: [],
    droppedByBrowser: false,
    withDirectoriesSynced: 'lost',
    nothingSynced: false,
  }

  it('the browser’s when a twin survives, as a loss is', () => {
    expect(lostByBrowser({ ...resurrected, withDirectoriesSynced: 'survived' })).toBe(true)
    expect(lostByBrowser({ ...resurrected, withBrowserDatabasesSynced: 'survived' })).toBe(true)
  })

  it('not the browser’s on its torn log or dropped database alone, which lose a file rather than bring one back', () => {
    expect(lostByBrowser(resurrected)).toBe(false)
    expect(lostByBrowser({ ...resurrected, tornLogs: ['Corruption: bad record'], droppedByBrowser: true })).toBe(false)
    expect(lostByBrowser({ ...resurrected, problem: 'NOT_FOUND', droppedByBrowser: true })).toBe(true)
  })
})
