import type { AdoptionFailure } from '@stowage/core/driver'
import { payload, type Verdict, verify } from '@stowage/browser-lab/src/payload.ts'
import type { Loaded } from '@stowage/browser-lab/src/protocol.ts'
import { describe, expect, it } from 'vitest'
import { judgeSweep, type Swept } from '../src/adoption.ts'

// Three files, whose newest copies are saves 2, 4 and 5.
const expected = new Map([
  ['f0', 2],
  ['f1', 4],
  ['f2', 5],
])
const whole = (seq: number): Loaded => ({ verdict: verify(payload(seq, 100 + seq)) })
const absent: Loaded = { verdict: { seq: null, length: null, size: 0, problem: 'NOT_FOUND' } }
const newest = { f0: whole(2), f1: whole(4), f2: whole(5) }
const swept = (
  found: Record<string, Loaded>,
  inOther: Record<string, Loaded> = {},
  failed: AdoptionFailure[] = [],
): Swept => ({
  swept: { adoption: { adopted: [], superseded: [], failed }, survey: { found, inOther } },
})
const locked = (file: string): AdoptionFailure => ({ file, from: 'idb', code: 'LOCKED', message: 'held elsewhere' })

describe("an adoption sweep's judge", () => {
  it('passes every file served whole at its newest, the other tier emptied', () => {
    expect(judgeSweep(swept(newest), expected)).toEqual({ ok: true, left: false })
  })

  it('passes a file the sweep failed on and left in the other tier, whole and newest there', () => {
    const judged = judgeSweep(swept({ ...newest, f1: whole(3) }, { f1: whole(4) }, [locked('f1')]), expected)
    expect(judged).toEqual({ ok: true, left: true })
  })

  it('fails an older copy served while the newest stays in the other tier, where the sweep reported no failure', () => {
    const judged = judgeSweep(swept({ ...newest, f1: whole(3) }, { f1: whole(4) }), expected)
    expect(judged).toMatchObject({ ok: false, problem: 'OLDER_THAN_ACKED', files: ['f1'] })
  })

  it('fails a file held by neither tier, or only an older copy of it', () => {
    expect(judgeSweep(swept({ ...newest, f0: absent }), expected)).toMatchObject({
      ok: false,
      problem: 'NOT_FOUND',
      files: ['f0'],
    })
    const older = swept({ ...newest, f2: whole(4) }, { f2: whole(4) }, [locked('f2')])
    expect(judgeSweep(older, expected)).toMatchObject({ ok: false, problem: 'OLDER_THAN_ACKED', files: ['f2'] })
  })

  it('fails torn bytes served as data, whatever the other tier holds', () => {
    const mixed: Verdict = { ...verify(payload(4, 104)), problem: 'MIXED', detail: 'blocks of saves 3 and 4' }
    const judged = judgeSweep(swept({ ...newest, f1: { verdict: mixed } }, { f1: whole(4) }, [locked('f1')]), expected)
    expect(judged).toMatchObject({ ok: false, problem: 'MIXED', files: ['f1'] })
  })

  it('names a tear before a loss, and every file that failed', () => {
    const mixed: Verdict = { ...verify(payload(4, 104)), problem: 'MIXED', detail: 'blocks of saves 3 and 4' }
    const judged = judgeSweep(swept({ ...newest, f0: absent, f1: { verdict: mixed } }), expected)
    expect(judged).toMatchObject({ ok: false, problem: 'MIXED', files: ['f0', 'f1'] })
  })

  it('calls a load that failed a loss, as the save loop does, and every file lost when the sweep failed', () => {
    const judged = judgeSweep(swept({ ...newest, f2: { failed: 'StorageError CORRUPT: no intact header' } }), expected)
    expect(judged).toMatchObject({ ok: false, problem: 'LOAD_FAILED', files: ['f2'] })
    expect(judgeSweep({ swept: { failed: 'Error: the page crashed' } }, expected)).toMatchObject({
      ok: false,
      problem: 'LOAD_FAILED',
      files: ['f0', 'f1', 'f2'],
    })
  })
})
