import { describe, expect, it } from 'vitest'
import { diskKey } from '../src/disk.ts'
import type { Disk } from '../src/model.ts'
import { isOpfsBytes } from '../src/storage.ts'

describe('the files a running browser rereads', () => {
  it('are the OPFS backing files on Chromium, not the databases beside them', () => {
    const opfs = isOpfsBytes({ engine: 'chromium', origin: 'http://127.0.0.1:1' })
    expect(opfs('/Default/File System/000/t/00/00000000')).toBe(true)
    expect(opfs('/Default/File System/000/t/00/00000012')).toBe(true)
    for (const path of [
      '/Default/File System/000/t/Paths/000003.log',
      '/Default/File System/000/t/.usage',
      '/Default/File System/Origins/000003.log',
      '/Default/IndexedDB/http_127.0.0.1_1.indexeddb.blob/1/00/5',
      '/Default/WebStorage/QuotaManager-journal',
    ])
      expect(opfs(path), path).toBe(false)
  })

  it("are the OPFS backing files on Firefox, under the origin's own folder", () => {
    const opfs = isOpfsBytes({ engine: 'firefox', origin: 'http://127.0.0.1:1' })
    const fs = '/storage/default/http+++127.0.0.1+1/fs'
    expect(opfs(`${fs}/3B/3BXBIHSGN7KYDEV7WVZDCVP3IU4MPA5BLQMLARLFWHD6SY5FGT3A`)).toBe(true)
    for (const path of [
      `${fs}/metadata.sqlite`,
      `${fs}/metadata.sqlite-journal`,
      '/storage/default/http+++127.0.0.1+2/fs/3B/3BXBIHSGN7KYDEV7WVZDCVP3IU4MPA5BLQMLARLFWHD6SY5FGT3A',
      '/storage/default/http+++127.0.0.1+1/idb/957843869pdoewxearl-eird-b.sqlite',
    ])
      expect(opfs(path), path).toBe(false)
  })

  it('group disks that differ only in those bytes, and no others', () => {
    const disk = (data: number, database: number): Disk => ({
      files: new Map([
        ['/fs/data', new Uint8Array([data])],
        ['/fs/names', new Uint8Array([database])],
      ]),
      dirs: new Set(['/fs']),
    })
    const data = (path: string) => path === '/fs/data'
    expect(diskKey(disk(1, 1), data)).toBe(diskKey(disk(2, 1), data))
    expect(diskKey(disk(1, 1), data)).not.toBe(diskKey(disk(1, 2), data))
    expect(diskKey(disk(1, 1))).not.toBe(diskKey(disk(2, 1)))
    const without: Disk = { files: new Map([['/fs/names', new Uint8Array([1])]]), dirs: new Set(['/fs']) }
    expect(diskKey(without, data)).not.toBe(diskKey(disk(1, 1), data))
  })
})
