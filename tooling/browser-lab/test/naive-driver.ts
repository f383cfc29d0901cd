import { StorageError, type Driver } from '@stowage/core'

declare global {
  // The DOM lib lacks what only dedicated workers have, and directory iteration.
  interface FileSystemDirectoryHandle {
    keys(): AsyncIterableIterator<string>
  }
  interface FileSystemFileHandle {
    createSyncAccessHandle(): Promise<FileSystemSyncAccessHandle>
  }
  interface FileSystemSyncAccessHandle {
    read(buffer: Uint8Array, options?: { at?: number }): number
    write(buffer: Uint8Array, options?: { at?: number }): number
    truncate(size: number): void
    getSize(): number
    flush(): void
    close(): void
  }
}

// Chromium can leave createSyncAccessHandle pending forever if its file handle is collected
// meanwhile (TOOLCHAIN.md): every handle stays referenced here until its call settles.
const opening = new Set<FileSystemFileHandle>()

async function accessHandle(file: FileSystemFileHandle): Promise<FileSystemSyncAccessHandle> {
  opening.add(file)
  try {
    return await file.createSyncAccessHandle()
  } finally {
    opening.delete(file)
  }
}

/**
 * The save everyone writes first, and the one the crash trial exists to catch: one sync access
 * handle, truncate(0), write, flush, close. No header, no second slot: a crash between the
 * truncate and the end of the write leaves the file empty or short.
 */
export function naiveDriver(directory: string): Driver {
  const id = 'naive'

  async function folder(): Promise<FileSystemDirectoryHandle> {
    const root = await navigator.storage.getDirectory()
    return root.getDirectoryHandle(directory, { create: true })
  }

  async function fileHandle(file: string, create: boolean): Promise<FileSystemFileHandle> {
    const dir = await folder()
    try {
      return await dir.getFileHandle(file, { create })
    } catch (error) {
      if ((error as Error).name === 'NotFoundError')
        throw new StorageError('NOT_FOUND', `${file}: no such file`, { file, driver: id, cause: error })
      throw error
    }
  }

  async function withHandle<T>(
    file: string,
    create: boolean,
    use: (handle: FileSystemSyncAccessHandle) => T,
  ): Promise<T> {
    const handle = await accessHandle(await fileHandle(file, create))
    try {
      return use(handle)
    } finally {
      handle.close()
    }
  }

  return {
    id,
    async probe() {},
    load: (file) =>
      withHandle(file, false, (handle) => {
        const bytes = new Uint8Array(handle.getSize())
        handle.read(bytes, { at: 0 })
        return bytes
      }),
    save: (file, data) =>
      withHandle(file, true, (handle) => {
        handle.truncate(0)
        handle.write(data, { at: 0 })
        handle.flush()
      }),
    async remove(file) {
      await (await folder()).removeEntry(file).catch((error: Error) => {
        if (error.name !== 'NotFoundError') throw error
      })
    },
    async list() {
      const names: string[] = []
      for await (const name of (await folder()).keys()) names.push(name)
      return names
    },
    async close() {},
  }
}
