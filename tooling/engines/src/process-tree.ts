import { readdirSync, readFileSync } from 'node:fs'

interface Proc {
  pid: number
  ppid: number
  /** Start time in clock ticks: tells a process apart from a later one that reuses its pid. */
  start: string
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses: the fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined
    return { pid, ppid: Number(fields[1]), start: fields[19] ?? '' }
  } catch {
    return undefined
  }
}

/**
 * `root` and all its descendants, children before their parents, and every process whose
 * environment carries `marker` (Chromium's crashpad handlers leave the tree with setsid but keep
 * the environment they were started with).
 */
export function processTree(root: number | undefined, marker?: string): Proc[] {
  const all = readdirSync('/proc').flatMap((name) => (/^\d+$/.test(name) ? [readProc(Number(name))].filter((p) => p !== undefined) : []))
  const tree: Proc[] = []
  const seen = new Set<number>()
  const visit = (proc: Proc) => {
    if (seen.has(proc.pid)) return
    seen.add(proc.pid)
    for (const child of all) if (child.ppid === proc.pid) visit(child)
    tree.push(proc)
  }
  const top = all.find((proc) => proc.pid === root)
  if (top) visit(top)
  if (marker) for (const proc of all) if (carries(proc.pid, marker)) visit(proc)
  return tree
}

/**
 * SIGKILLs `root`, every descendant and every carrier of `marker` by pid, children first, and resolves once all are gone.
 * Each pid is checked against its start time before the signal, so a reused pid is never hit.
 */
export async function killTree(root: number | undefined, marker?: string, timeoutMs = 10_000): Promise<void> {
  const tree = processTree(root, marker)
  for (const proc of tree) {
    if (readProc(proc.pid)?.start !== proc.start) continue
    try {
      process.kill(proc.pid, 'SIGKILL')
    } catch {
      // Gone between the look and the signal: what we wanted.
    }
  }
  const deadline = Date.now() + timeoutMs
  while (tree.some((proc) => readProc(proc.pid)?.start === proc.start)) {
    if (Date.now() > deadline) throw new Error(`processes of tree ${root} still alive after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function carries(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)
  } catch {
    return false
  }
}
