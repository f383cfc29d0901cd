import { defineConfig } from 'vitest/config'
import { stowageTests } from '@stowage/browsers/vitest'

const config = stowageTests({ node: ['test/**/*.node.test.ts'], browser: ['test/**/*.browser.test.ts'] })

export default defineConfig({
  ...config,
  // One test file at a time: a worker started with both tiers copies every file of GenosDB's one
  // IndexedDB database to the OPFS root, files that another file's tests are using included.
  test: { ...config.test, fileParallelism: false },
  // Found only inside workers, idb-keyval would otherwise be optimized mid-run, reloading the page.
  optimizeDeps: { include: ['idb-keyval'] },
})
