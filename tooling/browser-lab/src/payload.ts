/**
 * Self-describing payloads. Every 4 KiB block starts with a header (tag, seq, length, block
 * index) and goes on with bytes derived from those three, so any block found in a file names the
 * save it came from: a mix of two saves, a tear, a truncation or a stale tail is told apart from a
 * good file precisely. Block 0's header is the payload's header.
 */

export const BLOCK = 4096
export const HEADER = 16
// Blocks are written through a Uint32Array, so in the platform's byte order: little-endian in
// every browser and Node we run, which is what readHeader's DataView expects.
const TAG = 0x574f5453
const TAG_BYTES = [0x53, 0x54, 0x4f, 0x57] // 'STOW'
const MAX_LENGTH = 2 ** 31

/** What `verify` can find wrong with a stored file; NOT_FOUND is added by whoever loads it. */
export type Problem = 'EMPTY' | 'SHORT' | 'MIXED' | 'STALE_TAIL' | 'CORRUPT' | 'NOT_FOUND'

export interface Verdict {
  /** The seq and length the file's header claims; null when there is no readable header. */
  seq: number | null
  length: number | null
  /** How many bytes the file holds. */
  size: number
  problem?: Problem
  detail?: string
}

/** The payload of save `seq`, `length` bytes long (at least HEADER). */
export function payload(seq: number, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < HEADER || length > MAX_LENGTH)
    throw new RangeError(`Bad payload length ${length}`)
  const bytes = new Uint8Array(Math.ceil(length / 4) * 4)
  for (let start = 0; start < length; start += BLOCK) {
    fillBlock(
      new Uint32Array(bytes.buffer, start, Math.min(BLOCK, bytes.length - start) / 4),
      seq,
      length,
      start / BLOCK,
    )
  }
  return bytes.subarray(0, length)
}

/** Reads a stored file: which save it holds, and what is wrong with it if anything. */
export function verify(bytes: Uint8Array): Verdict {
  const size = bytes.length
  if (size === 0) return { seq: null, length: null, size, problem: 'EMPTY' }
  const head = readHeader(bytes, 0)
  if (head?.index !== 0) {
    if (size < HEADER && startsLikeHeader(bytes))
      return { seq: null, length: null, size, problem: 'SHORT', detail: `${size} bytes, less than a header` }
    return { seq: null, length: null, size, problem: 'CORRUPT', detail: 'no payload header at offset 0' }
  }
  const { seq, length } = head
  const found = { seq, length, size }
  if (length < HEADER || length > MAX_LENGTH)
    return { ...found, problem: 'CORRUPT', detail: `header claims length ${length}` }
  const scratch = new Uint32Array(BLOCK / 4)
  for (let index = 0; index * BLOCK < Math.min(size, length); index++) {
    const start = index * BLOCK
    const end = Math.min(start + BLOCK, length, size)
    if (blockMatches(bytes, start, end, seq, length, index, scratch)) continue
    const other = readHeader(bytes, start)
    if (other && other.index === index && (other.seq !== seq || other.length !== length)) {
      return {
        ...found,
        problem: 'MIXED',
        detail: `block ${index} (offset ${start}) holds save ${other.seq} of ${other.length} bytes`,
      }
    }
    return { ...found, problem: 'CORRUPT', detail: `block ${index} (offset ${start}) matches no save` }
  }
  if (size < length) return { ...found, problem: 'SHORT', detail: `${size} of ${length} bytes` }
  if (size > length) {
    const tail = readHeader(bytes, Math.ceil(length / BLOCK) * BLOCK)
    const from = tail && tail.seq !== seq ? `, the tail holds save ${tail.seq}` : ''
    return { ...found, problem: 'STALE_TAIL', detail: `${size - length} bytes past the payload's ${length}${from}` }
  }
  return found
}

/** Block `index` of save (seq, length), written into `words` (as many words as the block has). */
function fillBlock(words: Uint32Array, seq: number, length: number, index: number): void {
  words[0] = TAG
  words[1] = seq
  words[2] = length
  words[3] = index
  let state = seed(seq, length, index)
  for (let i = HEADER / 4; i < words.length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    words[i] = state
  }
}

function blockMatches(
  bytes: Uint8Array,
  start: number,
  end: number,
  seq: number,
  length: number,
  index: number,
  scratch: Uint32Array,
): boolean {
  const words = Math.ceil((Math.min(start + BLOCK, length) - start) / 4)
  fillBlock(scratch.subarray(0, words), seq, length, index)
  const expected = new Uint8Array(scratch.buffer, 0, words * 4)
  for (let i = start; i < end; i++) if (bytes[i] !== expected[i - start]) return false
  return true
}

function readHeader(bytes: Uint8Array, offset: number): { seq: number; length: number; index: number } | undefined {
  if (bytes.length < offset + HEADER) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, HEADER)
  if (view.getUint32(0, true) !== TAG) return undefined
  return { seq: view.getUint32(4, true), length: view.getUint32(8, true), index: view.getUint32(12, true) }
}

function startsLikeHeader(bytes: Uint8Array): boolean {
  return bytes.every((byte, i) => i >= 4 || byte === TAG_BYTES[i])
}

/** A non-zero xorshift seed from the three numbers (murmur3's finalizer). */
function seed(seq: number, length: number, index: number): number {
  let h = Math.imul(seq ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(length, 0xc2b2ae35) ^ Math.imul(index + 1, 0x27d4eb2f)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0 || 1
}
