// `npm run demo`: builds the demo app and everything it depends on, then serves it on localhost.
import { spawnSync } from 'node:child_process'

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' }
const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1

if (run('npx', ['turbo', 'run', 'build', '--filter=@stowage/demo^...', '--output-logs=errors-only']) !== 0)
  process.exit(1)
process.exit(run('npm', ['run', 'start', '--workspace', 'apps/demo']))
