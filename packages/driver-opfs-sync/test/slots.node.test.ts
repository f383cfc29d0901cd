import { describe, expect, it } from 'vitest'
import {
  DATA_START,
  encodeHeader,
  HEADER_BYTES,
  neverCommitted,
  newestSlot,
  nextSlot,
  type Slot,
} from '../src/slots.ts'

function headers(...slots: (Slot | undefined)[]): Uint8Array {
  const bytes = new Uint8Array(DATA_START)
  for (const slot of slots) if (slot) bytes.set(encodeHeader(slot), slot.index * HEADER_BYTES)
  return bytes
}

describe('slot placement', () => {
  it('puts the first save right after the headers, in header 0', () => {
    expect(nextSlot(undefined, 10)).toEqual({ index: 0, generation: 1, offset: DATA_START, length: 10 })
  })

  it('never overlaps the newest region, and alternates headers', () => {
    let current: Slot | undefined
    for (const length of [100, 100, 100, 300, 50, 0, 1000, 10]) {
      const next = nextSlot(current, length)
      if (current) {
        expect(next.index).not.toBe(current.index)
        expect(next.generation).toBe(current.generation + 1)
        const overlaps = next.offset < current.offset + current.length && current.offset < next.offset + next.length
        expect(overlaps).toBe(false)
      }
      expect(next.offset).toBeGreaterThanOrEqual(DATA_START)
      current = next
    }
  })

  it('after a relaxed save, keeps clear of both the newest region and the older one', () => {
    let older: Slot | undefined
    let current: Slot | undefined
    for (const length of [100, 100, 100, 300, 50, 0, 1000, 10, 100, 100]) {
      const next = nextSlot(current, length, older)
      for (const kept of [current, older]) {
        if (!kept) continue
        const overlaps = next.offset < kept.offset + kept.length && kept.offset < next.offset + next.length
        expect(overlaps).toBe(false)
      }
      ;[older, current] = [current, next]
    }
    // Saves of one size rotate through three regions.
    const a: Slot = { index: 0, generation: 3, offset: DATA_START, length: 100 }
    const b: Slot = { index: 1, generation: 4, offset: DATA_START + 100, length: 100 }
    expect(nextSlot(b, 100, a).offset).toBe(DATA_START + 200)
    expect(nextSlot({ ...a, index: 1, generation: 6, offset: DATA_START + 200 }, 100, b).offset).toBe(DATA_START)
  })

  it('reuses the front of the file when the new bytes fit before the newest region', () => {
    const current: Slot = { index: 1, generation: 2, offset: DATA_START + 100, length: 100 }
    expect(nextSlot(current, 100).offset).toBe(DATA_START)
    expect(nextSlot(current, 101).offset).toBe(DATA_START + 200)
  })
})

describe('reading headers', () => {
  const older: Slot = { index: 0, generation: 7, offset: DATA_START, length: 10 }
  const newer: Slot = { index: 1, generation: 8, offset: DATA_START + 10, length: 20 }

  it('takes the intact header with the highest generation', () => {
    expect(newestSlot(headers(older, newer), 1000)).toEqual(newer)
  })

  it('falls back to the older header when the newer one is torn', () => {
    const bytes = headers(older, newer)
    bytes[HEADER_BYTES + 20] = bytes[HEADER_BYTES + 20]! ^ 0xff
    expect(newestSlot(bytes, 1000)).toEqual(older)
  })

  it('ignores a header whose region runs past the end of the file', () => {
    expect(newestSlot(headers(older, newer), DATA_START + 29)).toEqual(older)
  })

  it('reads a header as earlier versions wrote it, byte for byte', () => {
    const slot: Slot = { index: 1, generation: 7, offset: 228, length: 1000 }
    const written = '53545731010000000000000000001c400000000000806c400000000000408f409992ac3a'
    expect(Buffer.from(encodeHeader(slot).subarray(0, 36)).toString('hex')).toBe(written)
    const bytes = new Uint8Array(DATA_START)
    bytes.set(Buffer.from(written, 'hex'), HEADER_BYTES)
    expect(newestSlot(bytes, 1228)).toEqual(slot)
  })

  it('keeps a save time after the checked bytes; headers written without one read as before, time unknown', () => {
    const slot: Slot = { index: 1, generation: 7, offset: 228, length: 1000, savedAt: 1_780_000_000_123 }
    const encoded = encodeHeader(slot)
    const old = '53545731010000000000000000001c400000000000806c400000000000408f409992ac3a'
    // The first 36 bytes are those earlier versions wrote and check: they read the new headers too.
    expect(Buffer.from(encoded.subarray(0, 36)).toString('hex')).toBe(old)
    const bytes = new Uint8Array(DATA_START)
    bytes.set(encoded, HEADER_BYTES)
    expect(newestSlot(bytes, 1228)).toEqual(slot)
    // A torn time is an unknown time, never a wrong one, and the slot still reads.
    bytes[HEADER_BYTES + 41]! ^= 1
    expect(newestSlot(bytes, 1228)).toEqual({ ...slot, savedAt: undefined })
  })

  it('reads an empty first save, whose file ends after header 0, as an empty slot', () => {
    const empty = nextSlot(undefined, 0)
    const file = headers(empty).subarray(0, HEADER_BYTES)
    expect(newestSlot(file, HEADER_BYTES)).toEqual(empty)
    const next = nextSlot(newestSlot(file, HEADER_BYTES), 10)
    expect(next).toEqual({ index: 1, generation: 2, offset: DATA_START, length: 10 })
  })

  it('tells a never-committed file from a damaged one', () => {
    expect(neverCommitted(new Uint8Array(DATA_START))).toBe(true)
    expect(neverCommitted(new Uint8Array(0))).toBe(true)
    const damaged = headers(older)
    damaged[3] = 0
    expect(newestSlot(damaged, 1000)).toBeUndefined()
    expect(neverCommitted(damaged)).toBe(false)
  })
})
