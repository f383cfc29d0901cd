import { readdirSync, readFileSync } from 'node:fs'

/** A process, told apart from a later one that reuses its pid by its start time. */
export interface Proc {
  pid: number
  start: string
}

interface Stat extends Proc {
  ppid: number
  state: string
}

/**
 * A process tree on Linux, found through /proc, children before their parents: the root, every
 * descendant (by ppid), and every process whose environment carries `marker` (Chromium's crashpad
 * handlers leave the tree with setsid, but keep the environment they were started with).
 */
export function processTree(root: number | undefined, marker?: string): Proc[] {
  const all = processes()
  const children = new Map<number, Stat[]>()
  for (const proc of all) children.set(proc.ppid, [...(children.get(proc.ppid) ?? []), proc])
  const tree: Proc[] = []
  const seen = new Set<number>()
  const visit = (proc: Stat) => {
    if (seen.has(proc.pid)) return
    seen.add(proc.pid)
    for (const child of children.get(proc.pid) ?? []) visit(child)
    tree.push({ pid: proc.pid, start: proc.start })
  }
  const rootStat = all.find((proc) => proc.pid === root)
  if (rootStat) visit(rootStat)
  if (marker) for (const proc of all) if (carries(proc.pid, marker)) visit(proc)
  return tree
}

/**
 * SIGKILLs a whole tree by pid, then waits until every process of it is gone. The tree is frozen
 * first (SIGSTOP, parents before children), so that no process reacts to another's death
 * (restarts a service, forks, writes a crash state) and the crash lands at one moment; then it is
 * killed children first. Synchronous up to the wait, so no pid of it is reaped and reused meanwhile.
 */
export async function killTree(root: number | undefined, marker?: string, timeoutMs = 10_000): Promise<void> {
  const frozen = new Map<number, Proc>()
  // Look again until a look finds nothing new: a child forked while its parent froze is caught too.
  for (
    let tree = processTree(root, marker);
    tree.some(({ pid }) => !frozen.has(pid));
    tree = processTree(root, marker)
  ) {
    for (const proc of tree.reverse()) {
      if (!frozen.has(proc.pid)) signal(proc, 'SIGSTOP')
      frozen.set(proc.pid, proc)
    }
  }
  for (const proc of processTree(root, marker)) signal(proc, 'SIGKILL')
  await waitGone([...frozen.values()], timeoutMs)
}

/** Resolves when none of `procs` is alive (a zombie holds nothing, so it counts as gone). */
export async function waitGone(procs: Proc[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (let alive = procs.filter(isAlive); alive.length; alive = alive.filter(isAlive)) {
    if (Date.now() > deadline)
      throw new Error(`Processes ${alive.map(({ pid }) => pid).join(', ')} still alive after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export function isAlive(proc: Proc): boolean {
  const stat = readStat(proc.pid)
  return stat !== undefined && stat.start === proc.start && stat.state !== 'Z' && stat.state !== 'X'
}

/** Sends a signal to `proc` if it is still that process. */
export function signal(proc: Proc, name: NodeJS.Signals): void {
  if (!isAlive(proc)) return
  try {
    process.kill(proc.pid, name)
  } catch {
    // It died between the look and the signal: what we wanted.
  }
}

function processes(): Stat[] {
  const found: Stat[] = []
  for (const name of readdirSync('/proc')) {
    const stat = /^\d+$/.test(name) ? readStat(Number(name)) : undefined
    if (stat) found.push(stat)
  }
  return found
}

function readStat(pid: number): Stat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses: the fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), start: fields[19] ?? '' }
  } catch {
    return undefined
  }
}

function carries(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)
  } catch {
    return false
  }
}
