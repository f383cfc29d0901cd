// Takes OPFS and IndexedDB away from this worker, so that no tier can work. Imported first.
delete (StorageManager.prototype as Partial<StorageManager>).getDirectory
Object.defineProperty(self, 'indexedDB', { value: undefined })
