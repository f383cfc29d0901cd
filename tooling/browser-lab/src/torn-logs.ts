import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * What the browser itself reports of torn LevelDB logs in `profile`: the lines of every LevelDB
 * `LOG` / `LOG.old` under it that say a record was dropped for corruption. Chromium keeps
 * IndexedDB and OPFS's directory in LevelDB, reopens a torn log and appends to it (`reuse_logs`),
 * and at each later start drops the rest of the block behind the torn record: writes that were
 * acknowledged in between are lost, whatever a driver does. Firefox and WebKit use SQLite.
 */
export async function tornLogs(profile: string): Promise<string[]> {
  const found: string[] = []
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) await visit(path)
      else if (entry.name === 'LOG' || entry.name === 'LOG.old') {
        const text = await readFile(path, 'utf8').catch(() => '')
        for (const line of text.split('\n'))
          if (/Corruption/.test(line)) found.push(`${path.slice(profile.length + 1)}: ${line.trim()}`)
      }
    }
  }
  await visit(profile)
  return found
}
