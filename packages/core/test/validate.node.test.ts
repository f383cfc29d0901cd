import { describe, expect, it } from 'vitest'
import { isStorageError, RESERVED_PREFIX } from '../src/index.ts'
import { assertValidName, toBytes } from '../src/driver-kit.ts'

const refusal = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    return isStorageError(error) ? error.code : error
  }
  return 'accepted'
}

describe('file names', () => {
  it.each([
    'a',
    'graph.bin',
    'with space',
    '.hidden',
    'trailing.',
    'ünïcødé 名前 🚀',
    'x'.repeat(255),
    `${'é'.repeat(127)}x`,
  ])('accepts %j', (name) => expect(refusal(() => assertValidName(name))).toBe('accepted'))

  it.each([
    ['empty', ''],
    ['a dot', '.'],
    ['two dots', '..'],
    ['a slash', 'a/b'],
    ['a backslash', 'a\\b'],
    ['NUL', 'a\0b'],
    ['256 ASCII bytes', 'x'.repeat(256)],
    ['256 UTF-8 bytes in 128 letters', 'é'.repeat(128)],
    ['the reserved prefix', `${RESERVED_PREFIX}slot`],
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone low surrogate', '\uDC00'],
    ['a number', 42],
    ['null', null],
  ])('refuses %s', (_label, name) => expect(refusal(() => assertValidName(name))).toBe('INVALID_NAME'))

  it('names the file and the problem in the message', () => {
    expect(() => assertValidName('a/b', 'idb')).toThrow('Invalid file name "a/b": it contains "/", "\\" or NUL')
  })
})

describe('data', () => {
  it('takes exactly the bytes of a Uint8Array view', () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5])
    expect([...toBytes(whole.subarray(1, 3))]).toEqual([2, 3])
  })

  it('takes a whole ArrayBuffer', () => {
    expect([...toBytes(new Uint8Array([7, 8]).buffer)]).toEqual([7, 8])
  })

  it.each([
    ['a string', 'text'],
    ['an array', [1, 2]],
    ['a Uint16Array', new Uint16Array(2)],
    ['a DataView', new DataView(new ArrayBuffer(2))],
    ['null', null],
    ['undefined', undefined],
    ['a plain object', { length: 0 }],
  ])('refuses %s', (_label, data) => expect(refusal(() => toBytes(data, 'f'))).toBe('INVALID_DATA'))

  it('refuses a view on a detached buffer, or a detached buffer, instead of storing nothing', () => {
    const bytes = new Uint8Array(4)
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] })
    expect(() => toBytes(bytes, 'f')).toThrow('detached')
    expect(refusal(() => toBytes(bytes.buffer, 'f'))).toBe('INVALID_DATA')
    expect(() => toBytes(bytes.buffer, 'f')).toThrow('detached')
    expect(refusal(() => toBytes(new Uint8Array(0), 'f'))).toBe('accepted')
    expect(refusal(() => toBytes(new ArrayBuffer(0), 'f'))).toBe('accepted')
  })
})
