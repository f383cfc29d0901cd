import { defineConfig } from 'vitest/config'
import { stowageTests } from '@stowage/browsers/vitest'

export default defineConfig({
  ...stowageTests({ node: ['test/**/*.node.test.ts'], browser: ['test/**/*.browser.test.ts'] }),
  // Found only inside workers, idb-keyval would otherwise be optimized mid-run, reloading the page.
  optimizeDeps: { include: ['idb-keyval'] },
})
