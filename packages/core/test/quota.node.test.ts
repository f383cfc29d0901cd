import { afterEach, describe, expect, it, vi } from 'vitest'
import { StorageError } from '../src/index.ts'
import { explainQuota } from '../src/quota.ts'

const refused = new StorageError('QUOTA_EXCEEDED', 'QuotaExceededError: full', {
  file: 'f',
  driver: 'd',
  cause: 'the original',
})

/** Node has no StorageManager: this stands in for estimate()'s answer, not for a driver. */
const estimate = (usage: number, quota: number) =>
  vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage, quota }) } })

describe('QUOTA_EXCEEDED messages', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('say that the browser refused, in binary units, and the room left when it is less than the request', async () => {
    estimate(99_352, 100_352)
    const error = await explainQuota(refused, 10_137)
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', file: 'f', driver: 'd', cause: 'the original' })
    expect(error.message).toBe('f: the browser refused to store 9.9 KiB: 1000 B left of a 98 KiB quota')
  })

  it('round to whole units from 10 up, and never show negative room', async () => {
    estimate(6 * 2 ** 40, 5 * 2 ** 40)
    expect((await explainQuota(refused, 16 * 2 ** 20 + 1)).message).toBe(
      'f: the browser refused to store 16 MiB: 0 B left of a 5.0 TiB quota',
    )
  })

  it('leave the estimate out where it shows more room than the request, as in a private window', async () => {
    estimate(0, 10 * 2 ** 30)
    const { message } = await explainQuota(refused, 1.5 * 2 ** 30)
    expect(message).toBe('f: the browser refused to store 1.5 GiB')
    expect(message).not.toMatch(/no room|left of/)
    estimate(2 ** 20, 2 ** 20 + 100)
    expect((await explainQuota(refused, 100)).message).toBe('f: the browser refused to store 100 B')
  })

  it('leave the estimate out where the browser cannot make one', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: () => Promise.reject(new Error('no')) } })
    expect((await explainQuota(refused, 0)).message).toBe('f: the browser refused to store 0 B')
    vi.stubGlobal('navigator', undefined)
    expect((await explainQuota(refused, 3 * 2 ** 30)).message).toBe('f: the browser refused to store 3.0 GiB')
  })
})
