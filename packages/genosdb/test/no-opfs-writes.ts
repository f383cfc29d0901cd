// Takes OPFS writes away from this worker (no createWritable, no sync access handles) and leaves
// reads: the OPFS tier fails its probe and IndexedDB serves, while the root stays readable. Imported first.
delete (FileSystemFileHandle.prototype as Partial<FileSystemFileHandle>).createWritable
delete (FileSystemFileHandle.prototype as unknown as Record<string, unknown>).createSyncAccessHandle
