import { check, type DriverFactory } from '@stowage/core/conformance'
import { checkedParts } from '../src/checked.ts'
import { opfsAsync } from '../src/index.ts'

export const lockPrefix = (directory: string) => `stowage:opfs:${directory}/`

export function uniqueDirectory(label: string): string {
  return `test-${label}-${crypto.randomUUID()}`
}

/** `directory` may be a path of names; the last one is created if missing, the others must exist. */
async function directoryHandle(directory: string): Promise<FileSystemDirectoryHandle> {
  let dir = await navigator.storage.getDirectory()
  const names = directory.split('/')
  for (const [index, name] of names.entries())
    dir = await dir.getDirectoryHandle(name, { create: index > 0 && index === names.length - 1 })
  return dir
}

export async function exists(directory: string): Promise<boolean> {
  return directoryHandle(directory).then(
    () => true,
    (error: DOMException) => (error.name === 'NotFoundError' ? false : Promise.reject(error)),
  )
}

/**
 * Every entry of the directory as the browser has it, swap files included; subdirectories end in
 * '/'. The driver's ready directory shows as the files it holds (`.stowage-ready/<name>`), if any.
 */
export async function rawEntries(directory: string): Promise<string[]> {
  const names: string[] = []
  for await (const [name, handle] of (await directoryHandle(directory)).entries()) {
    if (name !== '.stowage-ready') names.push(handle.kind === 'directory' ? `${name}/` : name)
    else for await (const [inner] of (handle as FileSystemDirectoryHandle).entries()) names.push(`${name}/${inner}`)
  }
  return names.sort()
}

/** A file's bytes read straight from OPFS, without the driver or its lock. */
export async function rawLoad(directory: string, file: string): Promise<Uint8Array> {
  const handle = await (await directoryHandle(directory)).getFileHandle(file)
  return new Uint8Array(await (await handle.getFile()).arrayBuffer())
}

/** What the driver stores for `data` in the 'checked' format: its header, then the bytes. */
export function stored(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const parts = checkedParts(data)
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0))
  let at = 0
  for (const part of parts) {
    bytes.set(part, at)
    at += part.byteLength
  }
  return bytes
}

/** A full replace straight through createWritable, without the driver or its lock. */
export async function rawSave(directory: string, file: string, data: Uint8Array<ArrayBuffer>): Promise<void> {
  const handle = await (await directoryHandle(directory)).getFileHandle(file, { create: true })
  const writable = await handle.createWritable()
  try {
    await writable.write(data)
    await writable.close()
  } catch (error) {
    await writable.abort().catch(() => {})
    throw error
  }
}

/** Names of the locks under `prefix` that anyone in this origin holds or waits for. */
export async function locksUnder(prefix: string): Promise<{ name: string; mode: string; state: 'held' | 'pending' }[]> {
  const { held = [], pending = [] } = await navigator.locks.query()
  return [
    ...held.map((lock) => ({ name: lock.name ?? '', mode: lock.mode ?? '', state: 'held' as const })),
    ...pending.map((lock) => ({ name: lock.name ?? '', mode: lock.mode ?? '', state: 'pending' as const })),
  ].filter((lock) => lock.name.startsWith(prefix))
}

/** Fails when a swap file was left in the directory or a lock on its files is held or awaited. */
export async function checkNothingLeaked(directory: string): Promise<void> {
  const entries = (await exists(directory)) ? await rawEntries(directory) : []
  const swaps = entries.filter((name) => name.endsWith('.crswap'))
  check(swaps.length === 0, `swap files left in the directory: ${JSON.stringify(swaps)}`)
  const locks = await locksUnder(lockPrefix(directory))
  check(locks.length === 0, `locks still held or awaited: ${JSON.stringify(locks)}`)
}

export async function removeDirectory(directory: string): Promise<void> {
  const root = await navigator.storage.getDirectory()
  await root.removeEntry(directory, { recursive: true }).catch((error: DOMException) => {
    if (error.name !== 'NotFoundError') throw error
  })
}

/** A driver over a directory nobody else uses; teardown closes it, checks nothing leaked, and deletes the directory. */
export const freshDriver: DriverFactory = async () => driverIn(uniqueDirectory('conformance'))

/** As `freshDriver`, in the format that stores exactly the bytes. */
export const freshRawDriver: DriverFactory = async () => driverIn(uniqueDirectory('conformance-raw'), 'raw')

function driverIn(directory: string, format?: 'raw') {
  const driver = opfsAsync({ directory, format })
  return {
    driver,
    reopen: () => opfsAsync({ directory, format }),
    teardown: async () => {
      await driver.close()
      try {
        await checkNothingLeaked(directory)
      } finally {
        await removeDirectory(directory)
      }
    },
  }
}

/** Replaces `key` on a real browser object until the returned function puts the original back. */
export function patch(target: object, key: PropertyKey, value: unknown): () => void {
  const own = Object.getOwnPropertyDescriptor(target, key)
  Object.defineProperty(target, key, { value, configurable: true, writable: true })
  return () => {
    if (own) Object.defineProperty(target, key, own)
    else delete (target as Record<PropertyKey, unknown>)[key]
  }
}

/** Polls `condition` until it holds; a bounded wait for another context to reach a state, not a timing check. */
export async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error(`gave up waiting until ${what}`)
}

/** Bytes that say who wrote them: writer, index, and a body derived from both. */
export function payload(writer: number, index: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(1024 + index)
  bytes[0] = writer
  bytes[1] = index & 255
  bytes[2] = index >> 8
  for (let i = 3; i < bytes.length; i++) bytes[i] = (writer * 31 + index * 7 + i) & 255
  return bytes
}

/** Which payload these bytes are, or undefined when they are no complete payload. */
export function identify(bytes: Uint8Array): { writer: number; index: number } | undefined {
  if (bytes.length < 3) return undefined
  const writer = bytes[0]!
  const index = bytes[1]! | (bytes[2]! << 8)
  const expected = payload(writer, index)
  if (expected.length !== bytes.length || expected.some((byte, i) => byte !== bytes[i])) return undefined
  return { writer, index }
}
