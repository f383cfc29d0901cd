import { serveCases } from '@stowage/browser-test/worker'
import { createStore } from '@stowage/core'
import { opfsSync } from '../src/index.ts'

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
serveCases({
  speed: async () => {
    const out: Record<string, number> = {}
    const root = await navigator.storage.getDirectory()
    const fh = await root.getFileHandle('raw-speed.bin', { create: true })
    const raw = await fh.createSyncAccessHandle()
    const store = createStore(opfsSync({ directory: 'speed' }))
    for (const size of [1024, 64 * 1024, 1 << 20, 16 << 20]) {
      const data = new Uint8Array(size).fill(3)
      const r: number[] = [], s: number[] = [], rl: number[] = [], sl: number[] = []
      const reps = size > 1 << 20 ? 15 : 40
      for (let i = 0; i < reps; i++) {
        let t = performance.now(); raw.truncate(0); raw.write(data, { at: 0 }); raw.flush(); r.push(performance.now() - t)
        t = performance.now(); await store.save('f', data, { transfer: false }); s.push(performance.now() - t)
        t = performance.now(); const b = new Uint8Array(raw.getSize()); raw.read(b, { at: 0 }); rl.push(performance.now() - t)
        t = performance.now(); await store.load('f'); sl.push(performance.now() - t)
      }
      out[`save raw ${size}`] = median(r); out[`save stowage(copy) ${size}`] = median(s)
      out[`load raw ${size}`] = median(rl); out[`load stowage ${size}`] = median(sl)
    }
    raw.close()
    await store.close()
    return out
  },
})
