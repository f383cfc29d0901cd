import type { Options } from 'tsup'

/** The build every published package shares: ESM + CJS + types + maps, for modern browsers and Node 20. */
export function library(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    treeshake: true,
    ...overrides,
  }
}
