/** What the page asks a test worker, and what it answers. Plain data, so any launcher can speak it. */
export interface RunRequest {
  stowageTest: 'run'
  id: number
  name: string
  args: unknown[]
}

export interface RunReply {
  stowageTest: 'result'
  id: number
  ok: boolean
  value?: unknown
  error?: { name: string; message: string; stack?: string }
}

export type TestCases = Record<string, (...args: never[]) => Promise<unknown> | unknown>
