import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Debian's interpreter: python3-fusepy is installed for it, not for a pyenv or venv one. */
const PYTHON = '/usr/bin/python3'
const RECORDER = fileURLToPath(new URL('./recorder.py', import.meta.url))
const MOUNT_MS = 20_000

/** A mounted recording file system. */
export interface RecordingMount {
  /** Unmounts (lazily if something still holds it) and resolves when the recorder has written its log. */
  unmount(): Promise<void>
}

/**
 * Mounts recorder.py's passthrough file system of `backing` on `mount`, logging into `logDir`
 * what changes files under `prefixes` (paths from the mount's root, e.g. '/Default/IndexedDB').
 */
export async function mountRecorder(
  backing: string,
  mount: string,
  logDir: string,
  prefixes: string[],
): Promise<RecordingMount> {
  const child = spawn(PYTHON, [RECORDER, backing, mount, logDir, ...prefixes], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const began = Date.now()
  while (!mounted(mount)) {
    if (child.exitCode !== null || Date.now() - began > MOUNT_MS) {
      child.kill('SIGKILL')
      throw new Error(`The recording file system did not mount on ${mount}:\n${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    async unmount() {
      if (spawnSync('fusermount3', ['-u', mount]).status !== 0) spawnSync('fusermount3', ['-uz', mount])
      await exited
      if (child.exitCode !== 0) throw new Error(`The recording file system exited ${child.exitCode}:\n${stderr}`)
    },
  }
}

function mounted(path: string): boolean {
  // mountinfo's fifth field is the mount point, with spaces escaped as \040.
  const escaped = path.replaceAll(' ', '\\040')
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === escaped)
}
