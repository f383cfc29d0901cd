import { describe, expect, it } from 'vitest'
import { modelSuite } from './model/sequences.ts'
import { hungHolderSuite, kitAndClientSuites, persistenceSuite, useSession } from './suites.ts'

const session = useSession('chromium', 47821)

kitAndClientSuites(session, { syncHandles: true })

describe('tier selection, unfaked', () => {
  it('serve([opfsSync(), opfsAsync(), idb()]) picks opfs-sync, the first tier, whose probe passes', async () => {
    const info = (await session().run('tier selection')) as { driver: string; probes: unknown[] }
    expect(info).toEqual({ driver: 'opfs-sync', probes: [{ id: 'opfs-sync', ok: true }] })
  })
})

hungHolderSuite(session)

persistenceSuite(session, ['opfs-sync', 'opfs-async', 'idb'])

modelSuite(session, ['opfs-sync', 'opfs-async', 'idb', 'client'])
