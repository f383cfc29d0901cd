import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { engines, launch } from '@stowage/browsers/launch'
import { openSession, type EngineSession } from '@stowage/browsers/session'

const page = fileURLToPath(new URL('./runner.page.ts', import.meta.url))

describe.each(engines.map((engine, index) => [engine, 47830 + index] as const))('the runner on %s', (engine, port) => {
  let session: EngineSession
  beforeAll(async () => {
    session = await openSession(engine, page, port)
  }, 90_000)
  afterAll(() => session?.dispose(), 60_000)

  it('runs a page case with arguments and returns its value', async () => {
    expect(await session.run('page adds', [2, 3])).toBe(5)
  })

  it('rethrows a failing case with the browser’s error name and message', async () => {
    await expect(session.run('page throws')).rejects.toThrow(`[${engine}] RangeError: on purpose`)
  })

  it('runs a case in a dedicated module worker that was bundled from new URL(…, import.meta.url)', async () => {
    const found = (await session.run('worker: storage')) as Record<string, string>
    expect(found).toMatchObject({ writable: 'function', idb: 'object' })
  })

  it('an unknown case is an error, not a silent pass', async () => {
    await expect(session.run('no such case')).rejects.toThrow('No test named')
  })
})

/** Processes that descend from this test process, or that name `profile` on their command line. */
function ours(profile: string): number[] {
  const stats = readdirSync('/proc').flatMap((name) => {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (fields[0] === 'Z') return []
      return [{ pid: Number(name), ppid: Number(fields[1]), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8') }]
    } catch {
      return []
    }
  })
  const mine = new Set([process.pid])
  for (let grew = true; grew; ) {
    grew = false
    for (const proc of stats) if (!mine.has(proc.pid) && mine.has(proc.ppid)) grew = mine.add(proc.pid) !== undefined
  }
  mine.delete(process.pid)
  return stats.filter((proc) => mine.has(proc.pid) || proc.cmdline.includes(profile)).map(({ pid }) => pid)
}

describe.each(engines)('launching and killing %s', (engine) => {
  it('kill() leaves no process of the browser or its helpers behind', async () => {
    const profile = await mkdtemp(join(tmpdir(), `stowage-${engine}-kill-`))
    const before = ours(profile)
    const browser = await launch(engine, profile)
    try {
      expect(ours(profile).length).toBeGreaterThan(before.length)
    } finally {
      await browser.kill()
      await rm(profile, { recursive: true, force: true })
    }
    expect(ours(profile)).toEqual(before)
  }, 90_000)
})
