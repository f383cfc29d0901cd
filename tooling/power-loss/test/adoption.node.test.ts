import type { AdoptionFailure } from '@stowage/core/driver'
import { payload, type Verdict, verify } from '@stowage/browser-lab/src/payload.ts'
import type { Loaded } from '@stowage/browser-lab/src/protocol.ts'
import { describe, expect, it } from 'vitest'
import { judgeSweep, type Seeded, type Swept } from '../src/adoption.ts'

// Three files as browser-lab seeds them: f0 only in the other tier, f1 newer there, f2 newer
// where served. Their newest copies are saves 2, 4 and 5.
const layout: Seeded = {
  expected: new Map([
    ['f0', 2],
    ['f1', 4],
    ['f2', 5],
  ]),
  copies: {
    serving: new Map([
      ['f1', 3],
      ['f2', 5],
    ]),
    other: new Map([
      ['f0', 2],
      ['f1', 4],
      ['f2', 4],
    ]),
  },
}
const whole = (seq: number): Loaded => ({ verdict: verify(payload(seq, 100 + seq)) })
const absent: Loaded = { verdict: { seq: null, length: null, size: 0, problem: 'NOT_FOUND' } }
const newest = { f0: whole(2), f1: whole(4), f2: whole(5) }
const swept = (
  found: Record<string, Loaded>,
  inOther: Record<string, Loaded> = {},
  failed: AdoptionFailure[] = [],
): Swept => ({
  swept: { adoption: { adopted: [], superseded: [], pending: [], failed }, survey: { found, inOther } },
})
const locked = (file: string): AdoptionFailure => ({ file, from: 'idb', code: 'LOCKED', message: 'held elsewhere' })

describe("an adoption sweep's judge", () => {
  it('passes every file served whole at its newest, the other tier emptied', () => {
    expect(judgeSweep(swept(newest), layout)).toEqual({ ok: true, left: false })
  })

  it('passes a file the sweep failed on and left in the other tier, whole and newest there', () => {
    const judged = judgeSweep(swept({ ...newest, f1: whole(3) }, { f1: whole(4) }, [locked('f1')]), layout)
    expect(judged).toEqual({ ok: true, left: true })
  })

  it('fails an older copy served while the newest stays in the other tier, where the sweep reported no failure', () => {
    const judged = judgeSweep(swept({ ...newest, f1: whole(3) }, { f1: whole(4) }), layout)
    expect(judged).toMatchObject({ ok: false, problem: 'OLDER_THAN_ACKED', files: ['f1'] })
  })

  it('fails a file held by neither tier, or only an older copy of it', () => {
    expect(judgeSweep(swept({ ...newest, f0: absent }), layout)).toMatchObject({
      ok: false,
      problem: 'NOT_FOUND',
      files: ['f0'],
    })
    const older = swept({ ...newest, f2: whole(4) }, { f2: whole(4) }, [locked('f2')])
    expect(judgeSweep(older, layout)).toMatchObject({ ok: false, problem: 'OLDER_THAN_ACKED', files: ['f2'] })
  })

  it('counts a failure only for its own file, and one that names no file for every file', () => {
    const olderF1 = { ...newest, f1: whole(3) }
    expect(judgeSweep(swept(olderF1, { f1: whole(4) }, [locked('f0')]), layout)).toMatchObject({
      ok: false,
      files: ['f1'],
    })
    const unlisted: AdoptionFailure = { from: 'idb', code: 'IO', message: 'could not be listed' }
    expect(judgeSweep(swept(olderF1, { f1: whole(4) }, [unlisted]), layout)).toEqual({ ok: true, left: true })
  })

  it('holds the other tier to the same rule: its torn copy is no copy', () => {
    const mixed: Loaded = {
      verdict: { ...verify(payload(4, 104)), problem: 'MIXED', detail: 'blocks of saves 3 and 4' },
    }
    const judged = judgeSweep(swept({ ...newest, f1: absent }, { f1: mixed }, [locked('f1')]), layout)
    expect(judged).toMatchObject({ ok: false, problem: 'NOT_FOUND', files: ['f1'] })
  })

  it('counts a file served right that the other tier still holds as left there', () => {
    expect(judgeSweep(swept(newest, { f2: whole(4) }), layout)).toEqual({ ok: true, left: true })
  })

  it('fails a whole save served that no tier held of that file as never started, not as a loss', () => {
    const foreign = swept({ ...newest, f1: whole(7) }, { f1: whole(4) }, [locked('f1')])
    expect(judgeSweep(foreign, layout)).toMatchObject({ ok: false, problem: 'NEVER_STARTED', files: ['f1'] })
  })

  it('fails torn bytes served as data, whatever the other tier holds', () => {
    const mixed: Verdict = { ...verify(payload(4, 104)), problem: 'MIXED', detail: 'blocks of saves 3 and 4' }
    const judged = judgeSweep(swept({ ...newest, f1: { verdict: mixed } }, { f1: whole(4) }, [locked('f1')]), layout)
    expect(judged).toMatchObject({ ok: false, problem: 'MIXED', files: ['f1'] })
  })

  it('names a tear before a loss, and every file that failed', () => {
    const mixed: Verdict = { ...verify(payload(4, 104)), problem: 'MIXED', detail: 'blocks of saves 3 and 4' }
    const judged = judgeSweep(swept({ ...newest, f0: absent, f1: { verdict: mixed } }), layout)
    expect(judged).toMatchObject({ ok: false, problem: 'MIXED', files: ['f0', 'f1'] })
  })

  it('calls a load that failed a loss, as the save loop does, and every file lost when the sweep failed', () => {
    const judged = judgeSweep(swept({ ...newest, f2: { failed: 'StorageError CORRUPT: no intact header' } }), layout)
    expect(judged).toMatchObject({ ok: false, problem: 'LOAD_FAILED', files: ['f2'] })
    expect(judgeSweep({ swept: { failed: 'Error: the page crashed' } }, layout)).toMatchObject({
      ok: false,
      problem: 'LOAD_FAILED',
      files: ['f0', 'f1', 'f2'],
    })
  })
})
