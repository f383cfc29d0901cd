import { diskKey } from './disk.js'
import { type CrashState, crashPoints, crashState, type Disk, diskOf, type Timeline } from './model.js'

/**
 * Generates `count` crash states and groups them by the disk they leave, in the order each disk
 * first came up. Each state's crash point is drawn with a weight of one plus what is pending
 * there: as ALICE and CrashMonkey favour the moment before a persistence point, where a missing
 * flush shows, without leaving out the quiet points between saves.
 */
export function distinctDisks(line: Timeline, count: number, random: () => number) {
  const points = crashPoints(line)
  const total = points.reduce((sum, { pending }) => sum + 1 + pending, 0)
  const draw = () => {
    let left = random() * total
    for (const point of points) {
      left -= 1 + point.pending
      if (left < 0) return point
    }
    return points.at(-1)!
  }
  const groups = new Map<string, { disk: Disk; states: CrashState[] }>()
  for (let i = 0; i < count; i++) {
    const state = crashState(line, draw().at, random)
    const disk = diskOf(line, state)
    const key = diskKey(disk)
    const group = groups.get(key) ?? { disk, states: [] }
    group.states.push(state)
    groups.set(key, group)
  }
  return groups
}
