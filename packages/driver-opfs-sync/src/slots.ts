/**
 * The on-disk layout of one file: two 64-byte headers, then data regions.
 *
 *   [ header 0 | header 1 | data ... ]
 *
 * A header names a region (offset, length) and a generation. A save writes its bytes to a region
 * that does not overlap the newest one, flushes, then writes its header over the *older* header
 * and flushes again (strict) or leaves that flush to the next save or the lease's release
 * (relaxed: the next save then also keeps clear of the older region, see `nextSlot`). Until that
 * second write lands, the newest header still describes intact bytes; after it, the new header
 * does. A load takes the valid header with the highest
 * generation. So a crash at any point leaves the previous save or the new one, never a mix.
 *
 * Header bytes: magic, format, generation, offset, length (0–32), their CRC-32 (32–36); then the
 * save's wall-clock time (40–48) and its own CRC-32 (48–52). Files written before the time was
 * kept have zeros there, which fail that CRC: their time is unknown, and the rest reads as ever.
 */
export const HEADER_BYTES = 64
export const DATA_START = 2 * HEADER_BYTES

const MAGIC = 0x31575453 // "STW1" read little-endian
const FORMAT = 1
const CHECKED_BYTES = 32
const SAVED_AT = 40
const SAVED_AT_CRC = 48

export interface Slot {
  index: 0 | 1
  generation: number
  offset: number
  length: number
  /** When the save was made, ms since the epoch; undefined in files written before it was kept. */
  savedAt?: number
}

export function encodeHeader({ generation, offset, length, savedAt }: Slot): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, MAGIC, true)
  view.setUint32(4, FORMAT, true)
  view.setFloat64(8, generation, true)
  view.setFloat64(16, offset, true)
  view.setFloat64(24, length, true)
  view.setUint32(CHECKED_BYTES, crc32(bytes.subarray(0, CHECKED_BYTES)), true)
  if (savedAt !== undefined) {
    view.setFloat64(SAVED_AT, savedAt, true)
    view.setUint32(SAVED_AT_CRC, crc32(bytes.subarray(SAVED_AT, SAVED_AT_CRC)), true)
  }
  return bytes
}

/** The newest header that is intact and points inside the file, if any. */
export function newestSlot(headers: Uint8Array, fileSize: number): Slot | undefined {
  const [first, second] = [decode(headers, 0, fileSize), decode(headers, 1, fileSize)]
  return first && second ? (second.generation > first.generation ? second : first) : (first ?? second)
}

/** True when no header was ever committed: a first save that never finished. */
export function neverCommitted(headers: Uint8Array): boolean {
  return headers.every((byte) => byte === 0)
}

/**
 * Where the next save goes: the header the newest one is not using, and the first region (from
 * the front, else right after them) clear of the newest's bytes and of `older`'s: the slot whose
 * header the disk may still hold as newest while the newest's header is not yet flushed (after a
 * relaxed save). Writing over `older`'s bytes then could leave a power cut a header naming bytes
 * that are no longer its own.
 */
export function nextSlot(current: Slot | undefined, length: number, older?: Slot): Slot {
  if (!current) return { index: 0, generation: 1, offset: DATA_START, length }
  const kept = older ? [current, older] : [current]
  const clear = (offset: number) =>
    kept.every((slot) => offset + length <= slot.offset || slot.offset + slot.length <= offset)
  const ends = kept.map((slot) => slot.offset + slot.length).sort((a, b) => a - b)
  return {
    index: current.index === 0 ? 1 : 0,
    generation: current.generation + 1,
    // The last end is always clear: nothing kept lies past it.
    offset: [DATA_START, ...ends].find(clear)!,
    length,
  }
}

/**
 * A header is intact when encoding what it says gives back its bytes: magic, format, fields and
 * checksum alike.
 */
function decode(headers: Uint8Array, index: 0 | 1, fileSize: number): Slot | undefined {
  const bytes = headers.subarray(index * HEADER_BYTES, (index + 1) * HEADER_BYTES)
  if (bytes.length < HEADER_BYTES) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset)
  const generation = view.getFloat64(8, true)
  const offset = view.getFloat64(16, true)
  const length = view.getFloat64(24, true)
  const slot: Slot = { index, generation, offset, length }
  const savedAt = view.getFloat64(SAVED_AT, true)
  if (view.getUint32(SAVED_AT_CRC, true) === crc32(bytes.subarray(SAVED_AT, SAVED_AT_CRC)) && savedAt > 0)
    slot.savedAt = savedAt
  const intact = encodeHeader(slot)
    .subarray(0, CHECKED_BYTES + 4)
    .every((byte, i) => byte === bytes[i])
  // An empty region needs no bytes: a file whose first save was empty ends after header 0.
  const inside = length === 0 || offset + length <= fileSize
  const sane = [generation, offset, length].every(Number.isSafeInteger) && offset >= DATA_START && length >= 0 && inside
  return intact && sane ? slot : undefined
}

/** CRC-32 (IEEE), bit by bit: headers are 32 bytes, too few to pay for a table. */
function crc32(bytes: Uint8Array): number {
  let crc = -1
  for (const byte of bytes) {
    crc ^= byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
  }
  return ~crc >>> 0
}
