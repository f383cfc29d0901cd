import { describe, expect, it } from 'vitest'
import { modelSuite } from './model/sequences.ts'
import { adoptionSuite, kitAndClientSuites, persistenceSuite, useSession } from './suites.ts'

const session = useSession('webkit', 47823)

kitAndClientSuites(session, { syncHandles: false })

adoptionSuite(session, { syncHandles: false })

describe('tier selection, unfaked', () => {
  it('serve([opfsSync(), opfsAsync(), idb()]) picks opfs-async, and info() gives tier 1’s real NotSupportedError as the reason', async () => {
    const info = (await session().run('tier selection')) as {
      driver: string
      probes: { id: string; ok: boolean; reason?: string }[]
    }
    expect(info.driver).toBe('opfs-async')
    expect(info.probes).toEqual([
      { id: 'opfs-sync', ok: false, reason: expect.stringMatching(/^NotSupportedError: \S/) },
      { id: 'opfs-async', ok: true },
    ])
  })
})

persistenceSuite(session, ['opfs-async', 'idb'])

modelSuite(session, ['opfs-async', 'idb', 'client'])
