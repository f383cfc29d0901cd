import { defineConfig, mergeConfig } from 'vitest/config'
import { stowageTests } from '@stowage/browsers/vitest'

// These tests run in Node and drive browsers of their own: a crash trial takes minutes. One file at
// a time: on 2 cores two browsers launching at once each took 2 to 4 times as long per kill.
export default defineConfig(
  mergeConfig(stowageTests({ node: ['test/**/*.node.test.ts'] }), {
    test: { testTimeout: 900_000, hookTimeout: 120_000, maxWorkers: 1 },
  }),
)
