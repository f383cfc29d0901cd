// `npm run demo`: builds the demo app and serves it on localhost.
import { existsSync } from 'node:fs'

if (!existsSync(new URL('../apps/demo/package.json', import.meta.url))) {
  console.log('The Stowage demo is coming soon (apps/demo). This command is the one that will run it.')
  process.exit(0)
}
const { spawnSync } = await import('node:child_process')
const result = spawnSync('npm', ['run', 'start', '--workspace', 'apps/demo'], { stdio: 'inherit' })
process.exit(result.status ?? 1)
