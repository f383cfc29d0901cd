import { it } from 'vitest'
import { hostCases } from '@stowage/browser-test/page'
it('speed', async () => {
  const h = hostCases(new Worker(new URL('./zz-speed.worker.ts', import.meta.url), { type: 'module' }))
  console.log(JSON.stringify(await h.run('speed', 300000), null, 1))
}, 300000)
