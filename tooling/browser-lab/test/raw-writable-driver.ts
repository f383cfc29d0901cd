import { StorageError, type Driver } from '@stowage/core'

/**
 * The browser's own full replace and nothing else: createWritable, write, close, on the file
 * itself. What the File System spec leaves to the browser ("typically" a temporary file swapped
 * in on close) is all that stands between a crash and the file.
 */
export function rawWritableDriver(directory: string): Driver {
  const id = 'raw-writable'
  const folder = async () => (await navigator.storage.getDirectory()).getDirectoryHandle(directory, { create: true })
  return {
    id,
    async probe() {},
    async load(file) {
      const handle = await (await folder()).getFileHandle(file).catch(() => {
        throw new StorageError('NOT_FOUND', `${file}: no such file`, { file, driver: id })
      })
      return new Uint8Array(await (await handle.getFile()).arrayBuffer())
    },
    async save(file, data) {
      const writable = await (await (await folder()).getFileHandle(file, { create: true })).createWritable()
      await writable.write(data as Uint8Array<ArrayBuffer>)
      await writable.close()
    },
    async remove(file) {
      await (await folder()).removeEntry(file)
    },
    async list() {
      return []
    },
    async close() {},
  }
}
