import { afterEach, describe, expect, it, vi } from 'vitest'
import { StorageError } from '../src/index.ts'
import { explainQuota } from '../src/quota.ts'

const refused = new StorageError('QUOTA_EXCEEDED', 'QuotaExceededError: full', { file: 'f', driver: 'd', cause: 'the original' })

describe('QUOTA_EXCEEDED messages', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('say in binary units how much was asked and how much room is left of the quota', async () => {
    // Node has no StorageManager: this stands in for estimate()'s answer, not for a driver.
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 99_352, quota: 100_352 }) } })
    const error = await explainQuota(refused, 10_137)
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', file: 'f', driver: 'd', cause: 'the original' })
    expect(error.message).toBe('f: no room to store 9.9 KiB; 1000 B left of a 98 KiB quota')
  })

  it('round to whole units from 10 up, and never show negative room', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 6 * 2 ** 40, quota: 5 * 2 ** 40 }) } })
    expect((await explainQuota(refused, 16 * 2 ** 20 + 1)).message).toBe('f: no room to store 16 MiB; 0 B left of a 5.0 TiB quota')
  })

  it('leave the room out where the browser cannot estimate it', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: () => Promise.reject(new Error('no')) } })
    expect((await explainQuota(refused, 0)).message).toBe('f: no room to store 0 B')
    vi.stubGlobal('navigator', undefined)
    expect((await explainQuota(refused, 3 * 2 ** 30)).message).toBe('f: no room to store 3.0 GiB')
  })
})
