import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** One logged operation, in the order the file system served it. Paths are from the mount's root. */
export type Op =
  | { op: 'write'; path: string; offset: number; data: Uint8Array }
  | { op: 'truncate'; path: string; size: number }
  | { op: 'create' | 'mkdir' | 'rmdir' | 'unlink' | 'fsyncdir'; path: string }
  | { op: 'fsync'; path: string; datasync: boolean }
  | { op: 'rename'; path: string; to: string }

type Logged = Exclude<Op, { op: 'write' }> | { op: 'write'; path: string; offset: number; length: number; at: number }

/** Reads what recorder.py logged in `dir`: ops.jsonl, with each write's bytes from data.bin. */
export async function readLog(dir: string): Promise<Op[]> {
  const [lines, data] = await Promise.all([readFile(join(dir, 'ops.jsonl'), 'utf8'), readFile(join(dir, 'data.bin'))])
  return lines
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const logged = JSON.parse(line) as Logged
      if (logged.op !== 'write') return logged
      const { path, offset, length, at } = logged
      return { op: 'write', path, offset, data: data.subarray(at, at + length) }
    })
}
