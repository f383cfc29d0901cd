import { spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { isAlive, killTree, processTree, signal, type Proc } from '../src/process-tree.ts'

const spawned: Proc[] = []
afterEach(() => {
  for (const proc of spawned.splice(0)) signal(proc, 'SIGKILL')
})

/**
 * A shell with a child shell and a grandchild, plus a stray that leaves the tree by a double fork
 * (as Chromium's crashpad handler does) but keeps the environment, marker included.
 */
function spawnTree(marker: string) {
  const [name, value] = marker.split('=') as [string, string]
  const root = spawn('sh', ['-c', 'sh -c "sleep 300 & wait" & (sleep 300 &); wait'], {
    stdio: 'ignore',
    env: { ...process.env, [name]: value },
  })
  return { root, exited: new Promise((resolve) => root.once('exit', resolve)) }
}

async function grown(look: () => Proc[], count: number): Promise<Proc[]> {
  for (let tries = 0; tries < 300; tries++) {
    const found = look()
    if (found.length >= count) return found
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`the tree never reached ${count} processes`)
}

describe('killing a process tree by pid', () => {
  it('finds descendants by ppid, children before parents, and strays by their marker', async () => {
    const marker = `STOWAGE_LAB_TEST=${Math.random()}`
    const { root } = spawnTree(marker)
    const tree = await grown(() => processTree(root.pid, marker), 4)
    spawned.push(...tree)
    const byPpid = processTree(root.pid)
    expect(byPpid).toHaveLength(3)
    expect(byPpid.at(-1)?.pid).toBe(root.pid)
    expect(tree).toHaveLength(4)
    expect(tree).toEqual(expect.arrayContaining(byPpid))
  })

  it('SIGKILLs every process of it, strays included, and returns once they are gone', async () => {
    const marker = `STOWAGE_LAB_TEST=${Math.random()}`
    const { root, exited } = spawnTree(marker)
    const tree = await grown(() => processTree(root.pid, marker), 4)
    spawned.push(...tree)
    await killTree(root.pid, marker)
    expect(tree.filter(isAlive)).toEqual([])
    await exited
    expect(root.signalCode).toBe('SIGKILL')
  })

  it('tells a process from a later one that reuses its pid', () => {
    const self = processTree(process.pid).at(-1)!
    expect(self.pid).toBe(process.pid)
    expect(isAlive(self)).toBe(true)
    expect(isAlive({ pid: self.pid, start: `${self.start}0` })).toBe(false)
  })
})
