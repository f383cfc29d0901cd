import type { Problem, Verdict } from './payload.js'

/** What the test had seen of the save loop when it pulled the plug. */
export interface Seen {
  /** The last save whose `acked` the test saw: the file must hold it or a later one. */
  acked: number
  /** The last save whose `started` the test saw: no later save can have begun. */
  started: number
  /** The length of every save started, by seq. */
  lengths: ReadonlyMap<number, number>
  /** The seqs that were removes of the file rather than saves (a loop with `removeEvery`). */
  removes?: ReadonlySet<number>
}

/** Which save the file held after a crash that it survived. */
export type Outcome = 'in-flight' | 'previous' | 'between'

/** `RESURRECTED`: the file holds a save that an acknowledged remove had deleted. */
export type CrashProblem = Problem | 'OLDER_THAN_ACKED' | 'RESURRECTED' | 'NEVER_STARTED' | 'LOAD_FAILED'

export type Judgement = { ok: true; outcome: Outcome } | { ok: false; problem: CrashProblem; detail: string }

/**
 * The rule of a crash: the file holds what the last acknowledged operation left or what the one
 * in flight would: exactly one complete payload after a save, no file (NOT_FOUND) after a remove.
 * `between` when the kill came after an ack and before the next start.
 */
export function judgeCrash(found: Verdict, seen: Seen): Judgement {
  const removed = (seq: number) => seen.removes?.has(seq) ?? false
  if (found.problem === 'NOT_FOUND' && (removed(seen.acked) || removed(seen.started))) {
    if (seen.started === seen.acked) return { ok: true, outcome: 'between' }
    return { ok: true, outcome: removed(seen.started) ? 'in-flight' : 'previous' }
  }
  if (found.problem) return { ok: false, problem: found.problem, detail: found.detail ?? '' }
  const { seq, length } = found
  if (seq === null || length === null) return { ok: false, problem: 'CORRUPT', detail: 'no header' }
  if (seq < seen.acked) {
    // The newest acknowledged remove after the save the file holds: that remove was undone.
    const undone = Math.max(0, ...[...(seen.removes ?? [])].filter((r) => r > seq && r <= seen.acked))
    if (undone)
      return {
        ok: false,
        problem: 'RESURRECTED',
        detail: `holds save ${seq}, but remove ${undone} was acknowledged (last acknowledged: ${seen.acked})`,
      }
    return {
      ok: false,
      problem: 'OLDER_THAN_ACKED',
      detail: `holds save ${seq}, but save ${seen.acked} was acknowledged`,
    }
  }
  if (seq > seen.started || seen.lengths.get(seq) !== length) {
    return {
      ok: false,
      problem: 'NEVER_STARTED',
      detail: `holds save ${seq} of ${length} bytes, never started (last started: ${seen.started})`,
    }
  }
  if (seen.started === seen.acked) return { ok: true, outcome: 'between' }
  return { ok: true, outcome: seq === seen.started ? 'in-flight' : 'previous' }
}
