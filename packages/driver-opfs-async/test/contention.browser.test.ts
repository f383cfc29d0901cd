import { hostCases, type CaseHost } from '@stowage/browsers/page'
import { afterEach, describe, expect, it } from 'vitest'
import { opfsAsync } from '../src/index.ts'
import type { BurstReport } from './burst.worker.ts'
import { checkNothingLeaked, identify, payload, rawSave, removeDirectory, stored, uniqueDirectory } from './helpers.ts'

describe('opfs-async: two dedicated workers on one file', () => {
  let hosts: CaseHost[] = []
  let directory = ''

  async function workers(): Promise<[CaseHost, CaseHost]> {
    directory = uniqueDirectory('contention')
    await (await navigator.storage.getDirectory()).getDirectoryHandle(directory, { create: true })
    hosts = [1, 2].map((writer) =>
      hostCases(
        new Worker(new URL('./burst.worker.ts', import.meta.url), {
          type: 'module',
          name: JSON.stringify({ writer, directory }),
        }),
      ),
    )
    // Both workers are up before either burst starts, so the bursts overlap.
    await Promise.all(hosts.map((host) => host.run('ready')))
    return hosts as [CaseHost, CaseHost]
  }

  afterEach(async () => {
    for (const host of hosts) host.terminate()
    await removeDirectory(directory)
  })

  it('200 un-awaited saves each through the driver: no error, and one of the two last saves is the content', async () => {
    const [a, b] = await workers()
    const reports = (await Promise.all([
      a.run('save burst through the driver'),
      b.run('save burst through the driver'),
    ])) as BurstReport[]
    expect(reports.map((report) => report.errorNames)).toEqual([[], []])
    const driver = opfsAsync({ directory })
    const last = identify(await driver.load('shared'))
    await driver.close()
    expect([
      { writer: 1, index: 199 },
      { writer: 2, index: 199 },
    ]).toContainEqual(last)
    await checkNothingLeaked(directory)
  })

  it('the same bursts with raw createWritable and no lock fail, so the lock is what the test above proves', async () => {
    const [a, b] = await workers()
    const reports = (await Promise.all([
      a.run('save burst with raw createWritable and no lock'),
      b.run('save burst with raw createWritable and no lock'),
    ])) as BurstReport[]
    expect(reports[0]!.failures + reports[1]!.failures).toBeGreaterThan(0)
    expect(reports.flatMap((report) => report.errorNames).join('\n')).toContain('AbortError')
  })

  it('200 un-awaited loads through the driver while the other worker saves: no error, every load a complete save', async () => {
    const [a, b] = await workers()
    // In the driver's format: a load that comes before the other worker's first save reads it.
    await rawSave(directory, 'shared', stored(payload(0, 0)))
    const [saves, loads] = (await Promise.all([
      a.run('save burst through the driver'),
      b.run('load burst through the driver'),
    ])) as BurstReport[]
    expect(saves!.errorNames).toEqual([])
    expect(loads!.errorNames).toEqual([])
    expect(loads!.torn).toBe(0)
    await checkNothingLeaked(directory)
  })

  it('loads with raw getFile and no lock while the other worker saves fail, so the shared lock matters', async () => {
    const [a, b] = await workers()
    await rawSave(directory, 'shared', payload(0, 0))
    const [, loads] = (await Promise.all([
      a.run('save loop with raw createWritable'),
      b.run('load bursts with raw getFile and no lock'),
    ])) as BurstReport[]
    expect(loads!.failures).toBeGreaterThan(0)
    // A snapshot from getFile() goes stale when a save swaps the file in: reading it then fails.
    for (const name of loads!.errorNames) expect(name).toMatch(/^(NotReadableError|NotFoundError):/)
  })
})
