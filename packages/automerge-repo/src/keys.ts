import { MAX_NAME_BYTES } from '@stowage/core'

/** automerge-repo's storage key: a path of strings, e.g. `[documentId, 'incremental', hash]`. */
export type Key = string[]

/**
 * How keys and Stowage names map onto each other, within one namespace.
 *
 * A short key's name is the namespace and each part escaped, joined with `.`: parts keep
 * `A-Z a-z 0-9 - _` and every other UTF-8 byte becomes `%XX`, so `.` only ever separates parts,
 * the name holds no `/`, `\` or NUL, and the key reads back from the name alone. automerge-repo's
 * own keys (a base58 document id, a word, a 64-digit hash) stay readable and about 110 bytes long.
 *
 * A name that would pass Stowage's 255-byte limit is cut, and `~` and a 106-bit hash of the whole
 * name take the cut's place; such a file starts with its key (see `wrap`), since the name no
 * longer holds all of it.
 */
export interface KeyNames {
  /** The name `key` is stored under, and whether it is a cut (long) one. */
  nameOf(key: Key): { name: string; long: boolean }
  /** The key a short name holds; undefined for a long name (its key is in the file) and for names of other namespaces. */
  keyOf(name: string): Key | undefined
  /** Whether `name` is one of this namespace's. */
  owns(name: string): boolean
  /** Whether the file `name` may hold a key starting with `prefix`: certainly for a short name, possibly for a long one. */
  mayMatch(name: string, prefix: Key): boolean
}

const HASH_CHARS = 28
const CUT = MAX_NAME_BYTES - 1 - HASH_CHARS
const NAMESPACE = /^[A-Za-z0-9_-]{1,64}$/

/** The mapping for `namespace` (1 to 64 of `A-Z a-z 0-9 - _`). */
export function keyNames(namespace: string): KeyNames {
  if (!NAMESPACE.test(namespace))
    throw new TypeError(`The namespace must be 1 to 64 of A-Z a-z 0-9 - _, got ${JSON.stringify(namespace)}`)
  const join = (key: Key) => namespace + key.map((part) => `.${escapePart(part)}`).join('')
  const within = (name: string, path: string) => name === path || name.startsWith(`${path}.`)

  return {
    nameOf(key) {
      const full = join(key)
      // Every character of a joined name is ASCII: its length is its size in bytes.
      if (full.length <= MAX_NAME_BYTES) return { name: full, long: false }
      return { name: `${full.slice(0, CUT)}~${hash(full)}`, long: true }
    },
    keyOf(name) {
      if (!within(name, namespace) || name.includes('~')) return undefined
      return name === namespace
        ? []
        : name
            .slice(namespace.length + 1)
            .split('.')
            .map(decodeURIComponent)
    },
    owns: (name) => within(name, namespace),
    mayMatch(name, prefix) {
      const path = join(prefix)
      const cut = name.indexOf('~')
      if (cut < 0) return within(name, path)
      // A long name keeps only the start of its key: it may match when that start agrees with the prefix.
      const start = name.slice(0, cut)
      return start.startsWith(`${path}.`) || `${path}.`.startsWith(start)
    },
  }
}

/** `encodeURIComponent`, which also refuses lone surrogates, with the marks it leaves as they are escaped too. */
function escapePart(part: string): string {
  return encodeURIComponent(part).replace(/[.!~*'()]/g, (mark) => `%${mark.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Two 53-bit string hashes (cyrb53) with different seeds, as 28 hex digits: a cut name's identity. */
function hash(text: string): string {
  return cyrb53(text, 0x5354).toString(16).padStart(14, '0') + cyrb53(text, 0x4f57).toString(16).padStart(14, '0')
}

function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed
  let h2 = 0x41c6ce57 ^ seed
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ code, 2654435761)
    h2 = Math.imul(h2 ^ code, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}
