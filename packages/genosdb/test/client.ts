/**
 * A stand-in for GenosDB's main thread, built from its observed protocol: every call posts one
 * plain message (no id, no transfer list) and adds a listener of its own that settles on the first
 * reply of the awaited type for the same name; any `error` reply rejects it.
 */
export interface GenosClient {
  load(name: string): Promise<Uint8Array>
  save(name: string, content: unknown): Promise<void>
  /** Every message the worker posted so far, in order. */
  replies: Record<string, unknown>[]
  /** Posts `message` and resolves with the next message the worker posts. */
  raw(message: unknown): Promise<Record<string, unknown>>
}

export function genosClient(worker: Worker): GenosClient {
  const replies: Record<string, unknown>[] = []
  worker.addEventListener('message', (event: MessageEvent) => replies.push(event.data as Record<string, unknown>))

  function call(
    request: { type: string; name: string; content?: unknown },
    awaited: string,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const listener = ({ data }: MessageEvent) => {
        if (data?.type === 'error') {
          worker.removeEventListener('message', listener)
          reject(Object.assign(new Error(String(data.message)), { reply: data }))
        } else if (data?.type === awaited && data.name === request.name) {
          worker.removeEventListener('message', listener)
          resolve(data)
        }
      }
      worker.addEventListener('message', listener)
      worker.postMessage(request)
    })
  }

  return {
    replies,
    load: async (name) => (await call({ type: 'load', name }, 'loaded')).data as Uint8Array,
    save: async (name, content) => void (await call({ type: 'save', name, content }, 'saved')),
    raw: (message) =>
      new Promise((resolve) => {
        worker.addEventListener('message', ({ data }: MessageEvent) => resolve(data), { once: true })
        worker.postMessage(message)
      }),
  }
}
