// `npm test`: every test of every workspace, then one closing line summed over all runners.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const env = {
  ...process.env,
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  PUPPETEER_SKIP_DOWNLOAD: '1',
  TURBO_TELEMETRY_DISABLED: '1',
}
const run = (command, args) => spawnSync(command, args, { cwd: root, env, stdio: 'inherit' }).status ?? 1

const workspaces = [
  ...['packages', 'tooling', 'apps', 'examples']
    .filter((group) => existsSync(join(root, group)))
    .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name))),
  join(root, 'bench'),
]

for (const dir of workspaces) rmSync(join(dir, '.test-results'), { recursive: true, force: true })

let failedSteps = 0
if (run('npm', ['run', '--silent', 'lint']) !== 0) failedSteps++
if (run('bash', ['scripts/ensure-browsers.sh']) !== 0) failedSteps++
else if (
  run('npx', [
    'turbo',
    'run',
    'build',
    'typecheck',
    'test',
    '--output-logs=new-only',
    '--concurrency=2',
    '--continue',
    ...process.argv.slice(2),
  ]) !== 0
)
  failedSteps++

let passed = 0
let failed = 0
let skipped = 0
for (const dir of workspaces) {
  const results = join(dir, '.test-results')
  if (!existsSync(results)) continue
  for (const file of readdirSync(results).filter((name) => name === 'vitest.json')) {
    const report = JSON.parse(readFileSync(join(results, file), 'utf8'))
    passed += report.numPassedTests ?? 0
    failed += report.numFailedTests ?? 0
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  }
}
// A step that failed without a failing test (a build, a type error, a runner that crashed) still counts.
if (failedSteps && failed === 0) failed = failedSteps

// Opt-in tests (a long hunt, say) are skipped unless asked for; the closing line stays `N passed, N failed`.
if (skipped) console.log(`${skipped} skipped`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed || failedSteps ? 1 : 0)
