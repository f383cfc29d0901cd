import { hostCases, type CaseHost } from '@stowage/browser-test/page'
import type { CaseOutcome } from './outcome.js'

type Body = (...args: never[]) => unknown

declare global {
  /** What the launchers call on the served page; set by `exposeCases`. */
  var stowageCases: { run(name: string, args: unknown[]): Promise<CaseOutcome> } | undefined
}

/**
 * On the served test page: makes `cases` callable by name from any automation. A case resolves
 * to a plain outcome, never rejects, so every protocol carries its error the same way.
 */
export function exposeCases(cases: Record<string, Body>): void {
  globalThis.stowageCases = {
    async run(name, args) {
      const body = cases[name]
      if (!body)
        return { ok: false, error: { name: 'Error', message: `No test named ${JSON.stringify(name)} on the page` } }
      try {
        return { ok: true, value: plain(await (body as (...args: unknown[]) => unknown)(...args)) }
      } catch (error) {
        const { name: errorName = 'Error', message = String(error), stack } = (error ?? {}) as Partial<Error>
        return { ok: false, error: { name: errorName, message, stack } }
      }
    },
  }
}

/**
 * Page cases named `${prefix}${name}` that run `name` in the worker from `start` (started on first
 * use, one for all of them), as `serveCases` serves it there; each must answer within `timeoutMs`.
 */
export function workerCases(
  prefix: string,
  start: () => Worker,
  names: string[],
  timeoutMs?: number,
): Record<string, Body> {
  let host: CaseHost | undefined
  const get = () => (host ??= hostCases(start()))
  return Object.fromEntries(
    names.map((name) => [`${prefix}${name}`, (...args: unknown[]) => get().call(name, args, timeoutMs)]),
  )
}

function plain(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value))
}
