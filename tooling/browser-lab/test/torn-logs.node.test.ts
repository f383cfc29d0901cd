import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tornLogs } from '../src/torn-logs.ts'

let profile: string
beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), 'stowage-torn-logs-'))
})
afterAll(() => rm(profile, { recursive: true, force: true }))

describe("the browser's own reports of torn LevelDB logs", () => {
  it('finds the corruption lines of every LOG and LOG.old under the profile, and nothing else', async () => {
    const paths = join(profile, 'Default', 'File System', '000', 't', 'Paths')
    const idb = join(profile, 'Default', 'IndexedDB', 'http_127.0.0.1_47811.indexeddb.leveldb')
    await mkdir(paths, { recursive: true })
    await mkdir(idb, { recursive: true })
    expect(await tornLogs(profile)).toEqual([])
    const torn =
      '2026/11/25-00:43:29.097 52ae (ignoring error) 000003.log: dropping 22194 bytes; Corruption: checksum mismatch'
    await writeFile(join(paths, 'LOG'), `2026/11/25-00:43:29.097 52ae Recovering log #3\n${torn}\n`)
    await writeFile(join(idb, 'LOG.old'), '2026/11/25-00:43:27.372 523b Reusing old log 000003.log\n')
    await writeFile(join(idb, '000003.log'), 'Corruption in a data file is not a report\n')
    expect(await tornLogs(profile)).toEqual([`Default/File System/000/t/Paths/LOG: ${torn}`])
  })
})
