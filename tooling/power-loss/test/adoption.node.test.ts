import { payload, type Verdict, verify } from '@stowage/browser-lab/src/payload.ts'
import { describe, expect, it } from 'vitest'
import { judgeSweep, type Swept } from '../src/adoption.ts'

// Three files, whose newest copies are saves 2, 4 and 5.
const expected = new Map([
  ['f0', 2],
  ['f1', 4],
  ['f2', 5],
])
const whole = (seq: number): Verdict => verify(payload(seq, 100 + seq))
const absent: Verdict = { seq: null, length: null, size: 0, problem: 'NOT_FOUND' }
const newest = { f0: whole(2), f1: whole(4), f2: whole(5) }
const swept = (found: Record<string, Verdict>, inOther: Record<string, Verdict> = {}): Swept => ({
  swept: { adoption: { adopted: [], superseded: [], failed: [] }, survey: { found, inOther } },
})

describe("an adoption sweep's judge", () => {
  it('passes every file served whole at its newest, the other tier emptied', () => {
    expect(judgeSweep(swept(newest), expected)).toEqual({ ok: true, left: false })
  })

  it('passes a file the sweep left in the other tier, whole and newest there', () => {
    const judged = judgeSweep(swept({ ...newest, f1: whole(3) }, { f1: whole(4) }), expected)
    expect(judged).toEqual({ ok: true, left: true })
  })

  it('fails a file held by neither tier, or only an older copy of it', () => {
    expect(judgeSweep(swept({ ...newest, f0: absent }), expected)).toMatchObject({
      ok: false,
      problem: 'NOT_FOUND',
      files: ['f0'],
    })
    expect(judgeSweep(swept({ ...newest, f2: whole(4) }, { f2: whole(4) }), expected)).toMatchObject({
      ok: false,
      problem: 'OLDER_THAN_ACKED',
      files: ['f2'],
    })
  })

  it('names a tear before a loss, and every file that failed', () => {
    const mixed: Verdict = { ...whole(4), problem: 'MIXED', detail: 'blocks of saves 3 and 4' }
    const judged = judgeSweep(swept({ ...newest, f0: absent, f1: mixed }), expected)
    expect(judged).toMatchObject({ ok: false, problem: 'MIXED', files: ['f0', 'f1'] })
  })

  it('fails every file when the sweep or the survey failed', () => {
    expect(judgeSweep({ swept: { failed: 'Error: the page crashed' } }, expected)).toMatchObject({
      ok: false,
      problem: 'LOAD_FAILED',
      files: ['f0', 'f1', 'f2'],
    })
  })
})
