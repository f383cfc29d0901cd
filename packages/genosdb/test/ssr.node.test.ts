import { describe, expect, it } from 'vitest'

describe('in Node (SSR)', () => {
  it('imports without touching browser globals, and installGenosDB where there is no Worker changes nothing', async () => {
    const { createGenosDBWorker, installGenosDB } = await import('../src/index.ts')
    expect(typeof createGenosDBWorker).toBe('function')
    expect('Worker' in globalThis).toBe(false)
    const undo = installGenosDB()
    expect('Worker' in globalThis).toBe(false)
    expect(undo()).toBeUndefined()
    expect(() => installGenosDB({ tiers: [] })).toThrow(TypeError)
  })
})
