import { exposeCases, workerCases } from '@stowage/browsers/page'

exposeCases({
  'page adds': (a: number, b: number) => a + b,
  'page throws': () => {
    throw new RangeError('on purpose')
  },
  ...workerCases('worker: ', () => new Worker(new URL('./runner.worker.ts', import.meta.url), { type: 'module' }), [
    'storage',
  ]),
})
