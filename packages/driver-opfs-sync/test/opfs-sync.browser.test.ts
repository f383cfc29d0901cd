import { afterAll, describe, expect, it } from 'vitest'
import { conformanceCases } from '@stowage/core/conformance'
import { hostCases } from '@stowage/browsers/page'
import { workerSuite } from '@stowage/browsers/suite'
import { opfsSync } from '../src/index.ts'

const newWorker = () => new Worker(new URL('./opfs-sync.worker.ts', import.meta.url), { type: 'module' })

workerSuite('opfs-sync in a dedicated worker', newWorker, [
  ...conformanceCases.map((testCase) => `kit: ${testCase.name}`),
  'fault: a data write that hits the quota, reported with the size asked',
  'fault: a header write torn halfway',
  'fault: a write that stores nothing',
  'fault: the flush between data and header',
  'fault: createSyncAccessHandle refused as taken',
  'fault: a read that fails during load',
  'a file with no intact header loads as CORRUPT, not as data',
  'a file that an empty first save left at 64 bytes loads as empty, and the next save works',
  'the handle and lock are given back once the file is idle',
  'a start after the first creates and removes no file, and holds no lock or handle after its probe',
  'overlapping saves on one file, made on the driver itself, never mix their bytes',
  'a missing file, loaded on the driver itself, rejects NOT_FOUND with the browser error as cause',
  'a remove takes the file off its name before deleting it; what a failed delete leaves, the next driver clears at its first remove',
])

describe('opfs-sync across contexts', () => {
  const first = hostCases(newWorker())
  const second = hostCases(newWorker())
  afterAll(() => {
    first.terminate()
    second.terminate()
  })

  it('two workers saving one file 200 times each meet no error, and the file holds one of the last saves', async () => {
    const directory = `test-opfs-sync-contention-${crypto.randomUUID()}`
    const [a, b] = (await Promise.all([
      first.call('burst', [directory, 'A', 200]),
      second.call('burst', [directory, 'B', 200]),
    ])) as {
      errors: string[]
      ms: number
    }[]
    console.log(`contention: worker A took ${a!.ms.toFixed(0)} ms, worker B ${b!.ms.toFixed(0)} ms for 200 saves each`)
    expect(a!.errors).toEqual([])
    expect(b!.errors).toEqual([])
    expect(['A-199', 'B-199']).toContain(await first.call('loadShared', [directory]))
    await first.call('removeDirectory', [directory])
  })

  it('two workers saving one file by turns give their leases back once idle, though they would keep them a minute', async () => {
    const directory = `test-opfs-sync-turns-${crypto.randomUUID()}`
    for (let turn = 0; turn < 6; turn++) await (turn % 2 ? second : first).call('turn', [directory, turn])
    // Enough for a close, not for the minute an idle lease is kept when nobody else wants the file.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const { held = [] } = await navigator.locks.query()
    expect(held.map((lock) => lock.name).filter((name) => name?.startsWith(`stowage:opfs:${directory}/`))).toEqual([])
    expect(await first.call('loadShared', [directory])).toBe('T-5')
    await Promise.all([first.call('endTurns', []), second.call('endTurns', [])])
    await first.call('removeDirectory', [directory])
  })

  it('a lease kept idle for a minute goes to a waiter that does not announce itself, without another operation', async () => {
    const directory = `test-opfs-sync-foreign-${crypto.randomUUID()}`
    await first.call('turn', [directory, 0])
    // Not a Stowage context: it takes the lock without a word on the channel, as other code may.
    const granted = await navigator.locks.request(
      `stowage:opfs:${directory}/shared`,
      { signal: AbortSignal.timeout(5_000) },
      () => 'granted',
    )
    expect(granted).toBe('granted')
    expect(await first.call('loadShared', [directory])).toBe('T-0')
    await first.call('endTurns', [])
    await first.call('removeDirectory', [directory])
  })

  it('two workers starting at once both pass their probes: they take turns on the probe file', async () => {
    const directory = `test-opfs-sync-probes-${crypto.randomUUID()}`
    await Promise.all([first.call('probes', [directory, 20]), second.call('probes', [directory, 20])])
    await first.call('removeDirectory', [directory])
  })
})

describe('opfs-sync outside a dedicated worker', () => {
  it('refuses to serve on the main thread, saying why', async () => {
    await expect(opfsSync().probe()).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      driver: 'opfs-sync',
      message: expect.stringContaining('dedicated workers'),
    })
  })
})
