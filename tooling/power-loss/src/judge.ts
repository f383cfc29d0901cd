import { type CrashProblem, judgeCrash, type Seen } from '@stowage/browser-lab/src/judge.ts'
import type { Found } from './replay.js'

/**
 * Which rule a trial holds a driver to. `strict`: every acknowledged save is there (the file holds
 * the last acknowledged save or the one in flight after it; no file when that was a remove).
 * `relaxed`: the file is whole and holds a save that was started, the last acknowledged one or an
 * earlier one, or is absent after an acknowledged remove, the last one or an earlier one: what a
 * tier whose browser API never reaches fsync can promise.
 */
export type Rule = 'strict' | 'relaxed'

/**
 * Which save a surviving state's file held: as browser-lab's crash judge says, `older` under the
 * relaxed rule, or `none`: no file, where no save of it had been acknowledged yet.
 */
export type Held = 'in-flight' | 'previous' | 'between' | 'older' | 'none'

/** What can be wrong with a booted crash state: browser-lab's crash problems, or a load that failed. */
export type PowerProblem = CrashProblem | 'LOAD_FAILED'

/** A crash state's verdict: which save it held, or what was wrong. */
export type PowerJudgement = { ok: true; held: Held } | { ok: false; problem: PowerProblem; detail: string }

/** Judges what a booted crash state loaded, against what the test had seen at its crash point. */
export function judgePower(found: Found, seen: Seen, rule: Rule): PowerJudgement {
  if ('failed' in found.load) return { ok: false, problem: 'LOAD_FAILED', detail: found.load.failed }
  const { verdict } = found.load
  if (verdict.problem === 'NOT_FOUND' && seen.acked === 0) return { ok: true, held: 'none' }
  if (rule === 'relaxed' && !verdict.problem && verdict.seq !== null && verdict.seq < seen.acked) {
    // Older than acknowledged, but whole: judged as if the crash came before that save started
    // (a save that an acknowledged remove deleted, too: the remove was relaxed in effect).
    const judged = judgeCrash(verdict, { ...seen, acked: verdict.seq, started: verdict.seq })
    return judged.ok ? { ok: true, held: 'older' } : judged
  }
  const judged = judgeCrash(verdict, seen)
  if (judged.ok) return { ok: true, held: judged.outcome }
  // No file, as an earlier acknowledged remove left it: an older complete state.
  const removedBefore = [...(seen.removes ?? [])].some((seq) => seq <= seen.acked)
  if (rule === 'relaxed' && judged.problem === 'NOT_FOUND' && removedBefore) return { ok: true, held: 'older' }
  return judged
}

/**
 * Whether a booted state's file holds a save that an acknowledged remove had deleted: what the
 * relaxed rule lets pass as an older state, and the strict rule calls RESURRECTED.
 */
export function holdsDeleted(found: Found, seen: Seen): boolean {
  if ('failed' in found.load) return false
  const strictly = judgeCrash(found.load.verdict, seen)
  return !strictly.ok && strictly.problem === 'RESURRECTED'
}

/** The problems that mean "lost" rather than "torn": the ones a browser's own engine can cause. */
export const LOSSES: PowerProblem[] = ['NOT_FOUND', 'OLDER_THAN_ACKED', 'EMPTY', 'LOAD_FAILED']

/**
 * A save that an acknowledged remove had deleted, back in the file: neither lost nor torn. The
 * browser's only when a twin of the state survives (the remove's name changes or the browser's
 * own database kept, as the browser left them unsynced): a browser's torn log or dropped
 * database would lose the file, not bring it back.
 */
export const RESURRECTION: PowerProblem = 'RESURRECTED'
