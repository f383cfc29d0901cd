import { defineConfig } from 'tsup'
import { library } from '../../tsup.shared'

export default defineConfig([
  // The page's entry. The CommonJS build has no import.meta.url: it is set empty there on purpose.
  library(
    { index: 'src/index.ts' },
    {
      // The worker build below writes into the same folder at the same time.
      clean: ['!worker.js', '!worker.js.map'],
      esbuildOptions(options, { format }) {
        if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': 'undefined' }
      },
    },
  ),
  // The worker script: one self-contained ES module, every dependency bundled in, so that a plain
  // `new Worker(url, { type: 'module' })` loads it and a bundler can ship it as a static asset.
  {
    entry: { worker: 'src/worker.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    noExternal: [/.*/],
    splitting: false,
    minify: true,
    sourcemap: true,
    clean: false,
    dts: false,
  },
])
