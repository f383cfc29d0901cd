import { defineConfig, mergeConfig } from 'vitest/config'
import { stowageTests } from '@stowage/browsers/vitest'

// The trials run in Node and launch a browser per crash state: one file at a time, on 2 cores.
export default defineConfig(
  mergeConfig(stowageTests({ node: ['test/**/*.node.test.ts'] }), {
    test: { testTimeout: 900_000, hookTimeout: 120_000, maxWorkers: 1 },
  }),
)
