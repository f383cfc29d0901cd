import { describe, expect, it } from 'vitest'
import { privateSuite, useSession } from './suites.ts'

const session = useSession('chromium', 47824, { private: true })

describe('an off-the-record context (incognito)', () => {
  it('refuses one IndexedDB value of 140 MiB, as idb stored every file before chunks', async () => {
    expect(await session().run('big: raw put', [140 * 2 ** 20], 300_000)).toMatch(
      /^UnknownError: The serialized keys and\/or value are too large/,
    )
  }, 305_000)

  it('serve([opfsSync(), opfsAsync(), idb()]) still picks opfs-sync: OPFS lives in memory there', async () => {
    const info = (await session().run('tier selection')) as { driver: string }
    expect(info.driver).toBe('opfs-sync')
  })
})

privateSuite(session)
