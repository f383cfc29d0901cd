import { describe, expect, it } from 'vitest'
import { privateSuite, useSession } from './suites.ts'

const session = useSession('firefox', 47825, { private: true })

describe('private browsing', () => {
  it('refuses OPFS', async () => {
    expect(await session().run('big: opfs')).toMatch(/^SecurityError/)
  })

  it('serve([opfsSync(), opfsAsync(), idb()]) falls back to idb, with each OPFS tier’s reason', async () => {
    const info = (await session().run('tier selection')) as {
      driver: string
      probes: { id: string; ok: boolean; reason?: string }[]
    }
    expect(info.driver).toBe('idb')
    expect(info.probes).toEqual([
      { id: 'opfs-sync', ok: false, reason: expect.stringMatching(/SecurityError/) },
      { id: 'opfs-async', ok: false, reason: expect.stringMatching(/SecurityError/) },
      { id: 'idb', ok: true },
    ])
  })
})

privateSuite(session)
