import { describe, expect, it } from 'vitest'

describe('in Node (SSR)', () => {
  it('imports without touching browser globals', async () => {
    const module = await import('../src/index.ts')
    expect(typeof module.serve).toBe('function')
    expect(typeof module.connect).toBe('function')
  })
})
