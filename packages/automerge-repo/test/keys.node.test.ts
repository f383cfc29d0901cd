import { MAX_NAME_BYTES } from '@stowage/core'
import { assertValidName } from '@stowage/core/driver'
import { describe, expect, it } from 'vitest'
import { keyNames } from '../src/keys.ts'

const names = keyNames('automerge')
const awkward = ['', '.', '..', 'a.b', '%41', '/', '\\', '\0', '~', 'é', '日本', '🦀', '.stowage', "!*'()", ' ']

describe('key names', () => {
  it("keep automerge-repo's own keys readable", () => {
    const hash = 'ab'.repeat(32)
    expect(names.nameOf(['4NMNnkMhL8jXrdJ9jamS58PAVdXu', 'incremental', hash])).toEqual({
      name: `automerge.4NMNnkMhL8jXrdJ9jamS58PAVdXu.incremental.${hash}`,
      long: false,
    })
    expect(names.nameOf(['storage-adapter-id']).name).toBe('automerge.storage-adapter-id')
  })

  it('give every key back from its name, each name valid for Stowage, no two keys the same name', () => {
    const keys = [[], ...awkward.map((part) => [part]), ...awkward.flatMap((a) => awkward.map((b) => [a, b]))]
    const seen = new Set<string>()
    for (const key of keys) {
      const { name, long } = names.nameOf(key)
      expect(long).toBe(false)
      assertValidName(name)
      expect(names.keyOf(name)).toEqual(key)
      expect(names.owns(name)).toBe(true)
      seen.add(name)
    }
    expect(seen.size).toBe(keys.length)
  })

  it('refuse a key with a lone surrogate, which no file name can hold apart', () => {
    expect(() => names.nameOf(['\uD800'])).toThrow(URIError)
  })

  it('cut names past 255 bytes, keeping a hash of the whole, and give no key back from them', () => {
    const key = ['doc', 'x'.repeat(300)]
    const other = ['doc', `${'x'.repeat(299)}y`]
    const { name, long } = names.nameOf(key)
    expect(long).toBe(true)
    expect(new TextEncoder().encode(name).length).toBe(MAX_NAME_BYTES)
    assertValidName(name)
    expect(names.nameOf(other).name).not.toBe(name)
    expect(names.nameOf(key).name).toBe(name)
    expect(names.keyOf(name)).toBeUndefined()
    expect(names.owns(name)).toBe(true)
    // Multi-byte parts are escaped to ASCII first, so the cut is in bytes too.
    expect(new TextEncoder().encode(names.nameOf(['日'.repeat(100)]).name).length).toBe(MAX_NAME_BYTES)
  })

  it('match prefixes part by part, never by string', () => {
    const name = names.nameOf(['AAAAA', 'sync-state', 'x']).name
    expect(names.mayMatch(name, [])).toBe(true)
    expect(names.mayMatch(name, ['AAAAA'])).toBe(true)
    expect(names.mayMatch(name, ['AAAAA', 'sync-state'])).toBe(true)
    expect(names.mayMatch(name, ['AAAAA', 'sync-state', 'x'])).toBe(true)
    expect(names.mayMatch(name, ['AAAA'])).toBe(false)
    expect(names.mayMatch(name, ['AAAAA', 'sync'])).toBe(false)
    expect(names.mayMatch(name, ['AAAAA', 'sync-state', 'x', 'y'])).toBe(false)
  })

  it('let a long name match the prefixes its kept start agrees with', () => {
    const name = names.nameOf(['doc', 'long', 'z'.repeat(300)]).name
    expect(names.mayMatch(name, ['doc'])).toBe(true)
    expect(names.mayMatch(name, ['doc', 'long'])).toBe(true)
    expect(names.mayMatch(name, ['doc', 'long', 'z'.repeat(300)])).toBe(true)
    expect(names.mayMatch(name, ['doc', 'short'])).toBe(false)
    expect(names.mayMatch(name, ['other'])).toBe(false)
  })

  it('keep namespaces apart', () => {
    const mine = keyNames('a')
    expect(mine.owns(keyNames('ab').nameOf(['x']).name)).toBe(false)
    expect(mine.owns('a')).toBe(true)
    expect(mine.keyOf('ab.x')).toBeUndefined()
    expect(() => keyNames('a.b')).toThrow(TypeError)
    expect(() => keyNames('')).toThrow(TypeError)
  })
})
