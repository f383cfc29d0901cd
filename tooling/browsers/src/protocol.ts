/**
 * The one protocol of the rig, plain data so that any launcher and channel can carry it. A page
 * asks a test worker to run a named case (`RunRequest`) and gets its outcome (`RunReply`); the
 * worker may also post events while a case runs (`CaseEvent`). Node runs a page's cases the same
 * way (`exposeCases`), through automation (`caseCall`) or a link (link.ts), and gets a `CaseOutcome`.
 */
export interface RunRequest {
  stowageTest: 'run'
  id: number
  name: string
  args: unknown[]
}

export type CaseOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { name: string; message: string; stack?: string } }

export type RunReply = { stowageTest: 'result'; id: number } & CaseOutcome

export interface CaseEvent {
  stowageTest: 'event'
  event: unknown
}

export type TestCases = Record<string, (...args: never[]) => Promise<unknown> | unknown>

/** Runs `body` and turns what it gives, or throws, into an outcome; `plain` makes the value cloneable. */
export async function outcomeOf(body: () => unknown, plain: (value: unknown) => unknown): Promise<CaseOutcome> {
  try {
    return { ok: true, value: plain(await body()) }
  } catch (error) {
    const { name = 'Error', message = String(error), stack } = (error ?? {}) as Partial<Error>
    return { ok: false, error: { name, message, stack } }
  }
}

export const unknownCase = (name: string): CaseOutcome => ({
  ok: false,
  error: { name: 'Error', message: `No test named ${JSON.stringify(name)}` },
})

/**
 * The function a launcher evaluates in the page (as source, so no automation library has to
 * serialize a closure of ours): waits for the page module, then runs one case.
 */
export const RUN_IN_PAGE = `async (name, args) => {
  for (let waited = 0; !globalThis.stowageCases; waited += 20) {
    if (waited > 30000) return { ok: false, error: { name: 'Error', message: 'the test page never exposed its cases' } }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return globalThis.stowageCases.run(name, args)
}`

/** One case's call as an expression, for automation libraries that evaluate a string in the page. */
export function caseCall(name: string, args: unknown): string {
  return `(${RUN_IN_PAGE})(${JSON.stringify(name)}, ${JSON.stringify(args)})`
}

/** The outcome's value, or its error rethrown in Node with the browser's name, message and stack. */
export function unwrap(outcome: CaseOutcome, engine: string): unknown {
  if (outcome.ok) return outcome.value
  const error = new Error(`[${engine}] ${outcome.error.name}: ${outcome.error.message}`)
  if (outcome.error.stack) error.stack = `${error.message}\n--- in the browser ---\n${outcome.error.stack}`
  throw error
}
