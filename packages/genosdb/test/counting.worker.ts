import { serveGenosDB } from '../src/serve.ts'

/**
 * The GenosDB worker, counting the writes that reach storage (createWritable calls and IndexedDB
 * puts) by wrapping the browser's own methods. The page asks with the message 'writes?'.
 */
let writes = 0
const { createWritable } = FileSystemFileHandle.prototype
FileSystemFileHandle.prototype.createWritable = function (this: FileSystemFileHandle, ...args) {
  writes++
  return createWritable.apply(this, args)
}
const { put } = IDBObjectStore.prototype
IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args) {
  writes++
  return put.apply(this, args)
}

self.addEventListener('message', (event) => {
  if (event.data === 'writes?') self.postMessage({ writes })
})
serveGenosDB({
  addEventListener: (type, listener) =>
    self.addEventListener(type, (event) => {
      if (event.data !== 'writes?') listener(event)
    }),
  postMessage: (message, transfer = []) => self.postMessage(message, { transfer }),
})
