import { describe, expect, it } from 'vitest'
import { judgeCrash, type Seen } from '../src/judge.ts'
import { payload, verify } from '../src/payload.ts'

const lengths = new Map([
  [4, 100],
  [5, 200],
  [6, 300],
])
const seen = (acked: number, started: number): Seen => ({ acked, started, lengths })
const holding = (seq: number) => verify(payload(seq, lengths.get(seq) ?? 64))

describe('judging a file after a crash', () => {
  it('accepts the save in flight or the last acknowledged one, and says which', () => {
    expect(judgeCrash(holding(6), seen(5, 6))).toEqual({ ok: true, outcome: 'in-flight' })
    expect(judgeCrash(holding(5), seen(5, 6))).toEqual({ ok: true, outcome: 'previous' })
    expect(judgeCrash(holding(5), seen(5, 5))).toEqual({ ok: true, outcome: 'between' })
  })

  it('refuses a save older than the last acknowledged one', () => {
    expect(judgeCrash(holding(4), seen(5, 6))).toMatchObject({ ok: false, problem: 'OLDER_THAN_ACKED' })
  })

  it('refuses a save that never started, or a length it was never saved with', () => {
    expect(judgeCrash(holding(7), seen(5, 6))).toMatchObject({ ok: false, problem: 'NEVER_STARTED' })
    expect(judgeCrash(verify(payload(6, 301)), seen(5, 6))).toMatchObject({ ok: false, problem: 'NEVER_STARTED' })
  })

  it('passes on what verify found wrong', () => {
    expect(judgeCrash(verify(new Uint8Array()), seen(5, 6))).toMatchObject({ ok: false, problem: 'EMPTY' })
    expect(judgeCrash({ seq: null, length: null, size: 0, problem: 'NOT_FOUND' }, seen(5, 6))).toMatchObject({
      ok: false,
      problem: 'NOT_FOUND',
    })
    expect(judgeCrash(verify(payload(6, 300).subarray(0, 20)), seen(5, 6))).toMatchObject({
      ok: false,
      problem: 'SHORT',
    })
  })
})

describe('judging a file after a crash, in a loop that removes it now and then', () => {
  // Saves 4 and 6, remove 5, save 7 (lengths above), remove 8.
  const removes = new Set([5, 8])
  const lengths7 = new Map([...lengths, [7, 400]])
  const seen = (acked: number, started: number): Seen => ({ acked, started, lengths: lengths7, removes })
  const absent = { seq: null, length: null, size: 0, problem: 'NOT_FOUND' } as const
  const holding = (seq: number) => verify(payload(seq, lengths7.get(seq) ?? 64))

  it('accepts no file after an acknowledged remove, or with a remove in flight, and says which', () => {
    expect(judgeCrash(absent, seen(5, 5))).toEqual({ ok: true, outcome: 'between' })
    expect(judgeCrash(absent, seen(5, 6))).toEqual({ ok: true, outcome: 'previous' })
    expect(judgeCrash(absent, seen(7, 8))).toEqual({ ok: true, outcome: 'in-flight' })
  })

  it('accepts the save after a remove, acknowledged or in flight, and the save before a remove in flight', () => {
    expect(judgeCrash(holding(6), seen(5, 6))).toEqual({ ok: true, outcome: 'in-flight' })
    expect(judgeCrash(holding(6), seen(6, 6))).toEqual({ ok: true, outcome: 'between' })
    expect(judgeCrash(holding(7), seen(7, 8))).toEqual({ ok: true, outcome: 'previous' })
  })

  it('refuses a save that an acknowledged remove deleted: resurrected', () => {
    expect(judgeCrash(holding(4), seen(5, 5))).toMatchObject({ ok: false, problem: 'RESURRECTED' })
    expect(judgeCrash(holding(4), seen(5, 6))).toMatchObject({ ok: false, problem: 'RESURRECTED' })
    // Save 7 acknowledged after remove 5: save 4 is older than both, and it was deleted.
    expect(judgeCrash(holding(4), seen(7, 7))).toMatchObject({
      ok: false,
      problem: 'RESURRECTED',
      detail: 'holds save 4, but remove 5 was acknowledged (last acknowledged: 7)',
    })
  })

  it('refuses a save older than an acknowledged save with no remove between: older, not resurrected', () => {
    expect(judgeCrash(holding(6), seen(7, 7))).toMatchObject({ ok: false, problem: 'OLDER_THAN_ACKED' })
  })

  it('refuses no file after an acknowledged save, with no remove in flight', () => {
    expect(judgeCrash(absent, seen(6, 6))).toMatchObject({ ok: false, problem: 'NOT_FOUND' })
    expect(judgeCrash(absent, seen(6, 7))).toMatchObject({ ok: false, problem: 'NOT_FOUND' })
  })

  it('refuses a payload under a remove’s seq: a remove saves nothing', () => {
    expect(judgeCrash(verify(payload(8, 64)), seen(7, 8))).toMatchObject({ ok: false, problem: 'NEVER_STARTED' })
  })
})
