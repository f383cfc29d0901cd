/**
 * The worker script that `createGenosDBWorker` starts (dist/worker.js, every dependency bundled
 * in, so that a plain `new Worker(url)` can load it).
 */
import { serveGenosDB } from './serve.js'

serveGenosDB()
