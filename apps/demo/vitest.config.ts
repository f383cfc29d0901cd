import { defineConfig, mergeConfig } from 'vitest/config'
import { stowageTests } from '@stowage/browsers/vitest'

export default mergeConfig(
  stowageTests({ node: ['test/**/*.node.test.ts'] }),
  defineConfig({
    test: {
      // Builds the app once and serves it with vite preview for every end-to-end file.
      globalSetup: ['test/serve-built-app.ts'],
      // One browser at a time: the stress run measures frame gaps, which a busy CPU would blur.
      fileParallelism: false,
    },
  }),
)
