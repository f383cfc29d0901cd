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
