import { afterAll, describe, expect, it } from 'vitest'
import { hostCases } from '../src/page'

describe('the browser test rig', () => {
  const host = hostCases(new Worker(new URL('./rig.worker.ts', import.meta.url), { type: 'module' }))
  afterAll(() => host.terminate())

  it('runs a test function inside a dedicated worker, on real OPFS', async () => {
    expect(await host.run('a dedicated worker has OPFS with sync access handles')).toBe(31)
  })

  it('carries a failure back from the worker with its name and message', async () => {
    await expect(host.run('a failing test body reports its error')).rejects.toThrow(
      'TypeError: this failure is expected',
    )
  })

  it('rejects a name the worker does not know, instead of hanging', async () => {
    await expect(host.run('no such test')).rejects.toThrow('No test named')
  })

  it('rejects when the worker cannot start', async () => {
    const broken = hostCases(new Worker('data:text/javascript,throw new Error("boom")'))
    await expect(broken.run('anything', 10_000)).rejects.toThrow('Test worker failed')
    broken.terminate()
  })
})
