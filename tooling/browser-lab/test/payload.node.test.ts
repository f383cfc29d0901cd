import { describe, expect, it } from 'vitest'
import { BLOCK, HEADER, payload, verify } from '../src/payload.ts'

const MiB = 2 ** 20

/** A file as an in-place write of `next` over `previous` leaves it: the new bytes, then the old tail. */
function over(previous: Uint8Array, next: Uint8Array): Uint8Array {
  const file = new Uint8Array(Math.max(previous.length, next.length))
  file.set(previous)
  file.set(next)
  return file
}

describe('payloads', () => {
  it('verify as exactly the save that made them, at every length around a block edge', () => {
    for (const length of [HEADER, 17, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 2, MiB + 3]) {
      expect(verify(payload(7, length))).toEqual({ seq: 7, length, size: length })
    }
  })

  it('differ between saves of the same length', () => {
    const [a, b] = [payload(1, 2 * BLOCK), payload(2, 2 * BLOCK)]
    const differing = a.reduce((count, byte, i) => count + (byte === b[i] ? 0 : 1), 0)
    expect(differing).toBeGreaterThan(BLOCK)
  })

  it('are fresh bytes of exactly their length', () => {
    const bytes = payload(3, 4099)
    expect(bytes.length).toBe(4099)
    expect(new Uint8Array(bytes)).toEqual(payload(3, 4099))
  })
})

describe('verify names what is wrong', () => {
  it('EMPTY: no bytes at all', () => {
    expect(verify(new Uint8Array())).toMatchObject({ problem: 'EMPTY', size: 0 })
  })

  it('SHORT: a prefix of a payload, even one shorter than its header', () => {
    expect(verify(payload(5, 3 * BLOCK).subarray(0, BLOCK + 10))).toMatchObject({
      problem: 'SHORT',
      seq: 5,
      length: 3 * BLOCK,
      size: BLOCK + 10,
    })
    expect(verify(payload(5, 100).subarray(0, 3))).toMatchObject({ problem: 'SHORT', seq: null, size: 3 })
  })

  it('STALE_TAIL: a shorter save written in place over a longer one', () => {
    const found = verify(over(payload(1, 5 * BLOCK), payload(2, 2 * BLOCK + 5)))
    expect(found).toMatchObject({ problem: 'STALE_TAIL', seq: 2, length: 2 * BLOCK + 5, size: 5 * BLOCK })
    expect(found.detail).toContain('save 1')
  })

  it('MIXED: a block of another save inside the payload', () => {
    const file = payload(2, 4 * BLOCK)
    file.set(payload(1, 4 * BLOCK).subarray(2 * BLOCK, 3 * BLOCK), 2 * BLOCK)
    const found = verify(file)
    expect(found).toMatchObject({ problem: 'MIXED', seq: 2 })
    expect(found.detail).toContain('block 2')
    expect(found.detail).toContain('save 1')
  })

  it('MIXED: a longer save torn in place over a shorter one', () => {
    const torn = over(payload(1, 2 * BLOCK), payload(2, 4 * BLOCK).subarray(0, BLOCK))
    expect(verify(torn)).toMatchObject({ problem: 'MIXED', seq: 2 })
  })

  it('CORRUPT: one flipped byte, zeros, or noise', () => {
    const flipped = payload(9, 3 * BLOCK)
    flipped[BLOCK + 100]! ^= 1
    expect(verify(flipped)).toMatchObject({ problem: 'CORRUPT', seq: 9 })
    expect(verify(new Uint8Array(BLOCK))).toMatchObject({ problem: 'CORRUPT', seq: null })
    expect(verify(crypto.getRandomValues(new Uint8Array(1000)))).toMatchObject({ problem: 'CORRUPT' })
  })

  it('CORRUPT: a header that claims a length below its own', () => {
    const file = payload(4, 64)
    new DataView(file.buffer).setUint32(8, 3, true)
    expect(verify(file)).toMatchObject({ problem: 'CORRUPT' })
  })
})
