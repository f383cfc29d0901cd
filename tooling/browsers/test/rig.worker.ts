import { serveCases } from '../src/worker'

const encoder = new TextEncoder()

/** lib.dom leaves out this worker-only API; the shape we use of it. */
interface SyncAccessHandle {
  truncate(size: number): void
  write(data: Uint8Array, options: { at: number }): number
  read(into: Uint8Array, options: { at: number }): number
  getSize(): number
  flush(): void
  close(): void
}

serveCases({
  'a dedicated worker has OPFS with sync access handles': async () => {
    const root = await navigator.storage.getDirectory()
    const dir = await root.getDirectoryHandle('rig-test', { create: true })
    const fileHandle = await dir.getFileHandle('round-trip.bin', { create: true })
    const access: SyncAccessHandle = await (
      fileHandle as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }
    ).createSyncAccessHandle()
    const bytes = encoder.encode('stowage rig: bytes through OPFS')
    try {
      access.truncate(0)
      const written = access.write(bytes, { at: 0 })
      if (written !== bytes.length) throw new Error(`wrote ${written} of ${bytes.length} bytes`)
      access.flush()
      const back = new Uint8Array(access.getSize())
      access.read(back, { at: 0 })
      if (new TextDecoder().decode(back) !== new TextDecoder().decode(bytes)) throw new Error('read back other bytes')
    } finally {
      access.close()
      await root.removeEntry('rig-test', { recursive: true })
    }
    return bytes.length
  },
  'a failing test body reports its error': async () => {
    throw new TypeError('this failure is expected')
  },
})
