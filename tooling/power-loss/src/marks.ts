import { closeSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import type { Seen } from '@stowage/browser-lab/src/judge.ts'

/** Where marks are made, from the mount's root: a folder no browser ever touches. */
export const MARKS = '/.power-marks'

/**
 * What the test knew at a point of the log: recording begins, a save (or, `remove`, a remove of
 * the file) started, an operation acknowledged.
 */
export type Mark =
  | { kind: 'begin' }
  | { kind: 'started'; seq: number; length: number; remove?: true }
  | { kind: 'acked'; seq: number }

/**
 * Makes marks in the log: each one is a file created through the mount, so it lands in the log
 * between the operations that the file system served before and after it.
 */
export function marker(mount: string): (mark: Mark) => void {
  mkdirSync(join(mount, MARKS), { recursive: true })
  let count = 0
  return (mark) => {
    const name = [
      count++,
      mark.kind,
      ...('seq' in mark ? [mark.seq] : []),
      ...('length' in mark ? [mark.length] : []),
      ...('remove' in mark && mark.remove ? ['remove'] : []),
    ]
    // Synchronous on purpose: the save that a `started` announces waits until this returned.
    closeSync(openSync(join(mount, MARKS, name.join('.')), 'w'))
  }
}

/** The mark a logged path stands for, if it is one. */
export function markAt(path: string): Mark | undefined {
  if (!path.startsWith(`${MARKS}/`)) return undefined
  const [, kind, seq, length, remove] = path.slice(MARKS.length + 1).split('.')
  if (kind === 'begin') return { kind }
  if (kind === 'started')
    return { kind, seq: Number(seq), length: Number(length), ...(remove === 'remove' && { remove: true as const }) }
  if (kind === 'acked') return { kind, seq: Number(seq) }
  throw new Error(`Not a mark: ${path}`)
}

/** What the test had seen once the log reached a point: `from` updated with the marks met on the way. */
export function seenAfter(from: Seen, marks: Mark[]): Seen {
  const lengths = new Map(from.lengths)
  const removes = new Set(from.removes)
  const seen = { acked: from.acked, started: from.started, lengths, removes }
  for (const mark of marks) {
    if (mark.kind === 'started') {
      seen.started = mark.seq
      if (mark.remove) removes.add(mark.seq)
      else lengths.set(mark.seq, mark.length)
    } else if (mark.kind === 'acked') seen.acked = mark.seq
  }
  return seen
}
