import { describe, expect, it } from 'vitest'
import { isStorageError, StorageError } from '../src/index.ts'
import { toStorageError } from '../src/driver-kit.ts'

describe('toStorageError', () => {
  it.each([
    ['NotFoundError', 'NOT_FOUND'],
    ['QuotaExceededError', 'QUOTA_EXCEEDED'],
    ['NoModificationAllowedError', 'LOCKED'],
    ['SecurityError', 'IO'],
    ['InvalidStateError', 'IO'],
    ['UnknownError', 'IO'],
  ])('maps a DOMException %s to %s, keeping it as cause', (name, code) => {
    const original = new DOMException('the browser said no', name)
    const error = toStorageError(original, { file: 'f', driver: 'd' })
    expect(error).toBeInstanceOf(StorageError)
    expect(error).toMatchObject({ code, file: 'f', driver: 'd', cause: original })
    expect(error.message).toBe(`f: ${name}: the browser said no`)
  })

  it('makes every failure while probing UNSUPPORTED, with the reason in the message', () => {
    const error = toStorageError(new DOMException('private mode', 'SecurityError'), { driver: 'd', probing: true })
    expect(error).toMatchObject({ code: 'UNSUPPORTED', driver: 'd' })
    expect(error.message).toContain('SecurityError: private mode')
    expect(toStorageError(new TypeError('no such API'), { probing: true }).code).toBe('UNSUPPORTED')
  })

  it('makes a StorageError thrown while probing UNSUPPORTED too, unless it is CLOSED', () => {
    const torn = toStorageError(new StorageError('IO', 'f: write stopped', { cause: 'disk' }), {
      driver: 'd',
      probing: true,
    })
    expect(torn).toMatchObject({ code: 'UNSUPPORTED', message: 'f: write stopped', driver: 'd', cause: 'disk' })
    const closed = new StorageError('CLOSED', 'closed', { driver: 'd' })
    expect(toStorageError(closed, { driver: 'd', probing: true })).toBe(closed)
  })

  it('maps anything else to IO, even values that are not errors', () => {
    expect(toStorageError(new TypeError('x')).code).toBe('IO')
    const fromString = toStorageError('just a string', { file: 'f' })
    expect(fromString).toMatchObject({ code: 'IO', message: 'f: just a string', cause: 'just a string' })
    expect(toStorageError(undefined).code).toBe('IO')
  })

  it('keeps a StorageError code and adds the file and driver it lacks', () => {
    const original = new StorageError('CORRUPT', 'bad checksum', { cause: 'crc' })
    const error = toStorageError(original, { file: 'f', driver: 'd' })
    expect(error).toMatchObject({ code: 'CORRUPT', file: 'f', driver: 'd', cause: 'crc', message: 'bad checksum' })
    const complete = new StorageError('LOCKED', 'busy', { file: 'g', driver: 'e' })
    expect(toStorageError(complete, { file: 'f', driver: 'd' })).toBe(complete)
  })
})

describe('isStorageError', () => {
  it('recognises a StorageError, optionally of one code', () => {
    const error = new StorageError('NOT_FOUND', 'missing')
    expect(isStorageError(error)).toBe(true)
    expect(isStorageError(error, 'NOT_FOUND')).toBe(true)
    expect(isStorageError(error, 'IO')).toBe(false)
  })

  it('recognises one made by another copy of the package, and nothing else', () => {
    const foreign = Object.assign(new Error('missing'), { name: 'StorageError', code: 'NOT_FOUND' })
    expect(isStorageError(foreign, 'NOT_FOUND')).toBe(true)
    expect(isStorageError(Object.assign(new Error('x'), { name: 'StorageError', code: 'NOPE' }))).toBe(false)
    expect(isStorageError(new Error('x'))).toBe(false)
    expect(isStorageError({ code: 'IO' })).toBe(false)
    expect(isStorageError(null)).toBe(false)
  })
})
