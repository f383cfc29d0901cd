import type { RunReply, RunRequest, TestCases } from './protocol.js'

export type { TestCases } from './protocol.js'

/**
 * Inside a worker (or a page): answers run requests by calling the named test function and
 * posting its outcome. Test bodies stay plain functions; whoever hosts the worker reads the replies.
 */
export function serveCases(
  cases: TestCases,
  scope: Pick<Worker, 'addEventListener' | 'postMessage'> = self as never,
): void {
  scope.addEventListener('message', async (event: MessageEvent<RunRequest>) => {
    const request = event.data
    if (request?.stowageTest !== 'run') return
    const reply = await settle(request, cases)
    scope.postMessage(reply)
  })
}

async function settle({ id, name, args }: RunRequest, cases: TestCases): Promise<RunReply> {
  const body = cases[name]
  if (!body)
    return {
      stowageTest: 'result',
      id,
      ok: false,
      error: { name: 'Error', message: `No test named ${JSON.stringify(name)}` },
    }
  try {
    const value = await (body as (...args: unknown[]) => unknown)(...(args ?? []))
    return { stowageTest: 'result', id, ok: true, value: plain(value) }
  } catch (error) {
    const { name: errorName = 'Error', message = String(error), stack } = (error ?? {}) as Partial<Error>
    return { stowageTest: 'result', id, ok: false, error: { name: errorName, message, stack } }
  }
}

function plain(value: unknown): unknown {
  try {
    return structuredClone(value)
  } catch {
    return String(value)
  }
}
