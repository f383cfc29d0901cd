import { type CaseEvent, outcomeOf, type RunReply, type RunRequest, type TestCases, unknownCase } from './protocol.js'

export type { TestCases } from './protocol.js'

type Scope = Pick<Worker, 'addEventListener' | 'postMessage'>

/**
 * Inside a worker (or a page): answers run requests by calling the named test function and
 * posting its outcome. Test bodies stay plain functions; whoever hosts the worker reads the replies.
 */
export function serveCases(cases: TestCases, scope: Scope = self as never): void {
  scope.addEventListener('message', async (event: MessageEvent<RunRequest>) => {
    const { stowageTest, id, name, args } = event.data ?? {}
    if (stowageTest !== 'run') return
    const body = cases[name] as ((...args: unknown[]) => unknown) | undefined
    const outcome = body ? await outcomeOf(() => body(...(args ?? [])), plain) : unknownCase(name)
    scope.postMessage({ stowageTest: 'result', id, ...outcome } satisfies RunReply)
  })
}

/** Posts an event to the page while a case runs (see `hostCases`' `onEvent`). */
export function emit(event: unknown, scope: Scope = self as never): void {
  scope.postMessage({ stowageTest: 'event', event } satisfies CaseEvent)
}

function plain(value: unknown): unknown {
  try {
    return structuredClone(value)
  } catch {
    return String(value)
  }
}
