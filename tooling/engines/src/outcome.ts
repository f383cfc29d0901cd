/** What a case run on the page resolves to, in every engine: plain JSON. */
export type CaseOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { name: string; message: string; stack?: string } }

/**
 * The function each launcher evaluates in the page (as source, so no automation library has to
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
