import { defineConfig } from 'tsup'
import { library } from '../../tsup.shared'

export default defineConfig(
  library(
    {
      index: 'src/index.ts',
      driver: 'src/driver-kit.ts',
      opfs: 'src/opfs.ts',
      conformance: 'src/conformance/index.ts',
      'conformance-vitest': 'src/conformance/vitest.ts',
    },
    { external: ['vitest'] },
  ),
)
