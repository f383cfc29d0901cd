import { describe, expect, it } from 'vitest'
import { modelSuite } from './model/sequences.ts'
import { adoptionSuite, hungHolderSuite, kitAndClientSuites, persistenceSuite, useSession } from './suites.ts'

const session = useSession('firefox', 47822)

kitAndClientSuites(session, { syncHandles: true })

adoptionSuite(session, { syncHandles: true })

describe('tier selection, unfaked', () => {
  it('serve([opfsSync(), opfsAsync(), idb()]) picks opfs-sync, the first tier, whose probe passes', async () => {
    const info = (await session().run('tier selection')) as { driver: string; probes: unknown[] }
    expect(info).toEqual({ driver: 'opfs-sync', probes: [{ id: 'opfs-sync', ok: true }] })
  })
})

hungHolderSuite(session)

persistenceSuite(session, ['opfs-sync', 'opfs-async', 'idb'])

modelSuite(session, ['opfs-sync', 'opfs-async', 'idb', 'client'])
