import { LOCK_TIMEOUT_MS, lockBound } from './bound.js'
import type { CallOptions, Driver } from './driver.js'
import { StorageError, toStorageError, type ErrorCode } from './errors.js'

/** A file and the driver whose copy of it was copied, dropped or kept. */
export interface AdoptedFile {
  file: string
  from: string
}

/** What was left where it was, and why; without `file`, a driver whose files could not be listed. */
export interface AdoptionFailure {
  file?: string
  from: string
  code: ErrorCode
  message: string
}

/** What one sweep did. */
export interface AdoptionReport {
  /** Copies saved into the serving driver by this sweep: the newest of their name. */
  adopted: AdoptedFile[]
  /** Older copies removed because another driver (the serving one, or the adopted copy's) held a newer one. */
  superseded: AdoptedFile[]
  /**
   * Copies left where they were because the serving copy has not settled (`settleMs`): a later
   * sweep removes them. `removingPending` keeps an app's remove from bringing them back.
   */
  pending: AdoptedFile[]
  failed: AdoptionFailure[]
}

export interface AdoptOptions {
  /** The Web Lock one sweep holds across tabs and workers. Default 'stowage:adopt'. */
  lock?: string
  /**
   * How long to wait for another context's sweep before serving without one, and for a file's
   * lock before leaving that file where it is, in ms. Default LOCK_TIMEOUT_MS (10 s).
   */
  lockTimeoutMs?: number
  /**
   * How long the serving copy must have stood, by its `savedAt`, before the other copies are
   * removed, in ms. Default SETTLE_MS (60 s). 0 removes them as soon as the copy is verified.
   */
  settleMs?: number
}

/**
 * A browser may keep a new file's name only in its page cache (Chromium records a new OPFS file
 * in a LevelDB it never flushes) while another tier's remove reaches the disk at once: a power
 * cut right after a sweep would take both copies. Linux writes dirty pages back within 30 s and
 * ext4 commits its journal every 5 s by default, so a copy that has stood for a minute is on disk
 * there; a longer write-back (laptop mode) or another system's has not been measured.
 */
export const SETTLE_MS = 60_000

/**
 * The coarsest clock a driver dates its saves by: opfs-async's `File.lastModified` counts whole
 * seconds on WebKitGTK. A copy made within its source's second would date before the source, and
 * the source, kept pending, would win again; so would a save into the copy within that second.
 * A copy waits at most this long; one that still does not date after its source (a source dated
 * in the future) is not kept waiting for: the old copies go at once, as they would win again.
 */
const CLOCK_GRAIN_MS = 1000

const pause = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined)

/** How many names are adopted at once: drivers serve different files in parallel. */
const PARALLEL = 4

/**
 * Copies into `serving` every file that another driver of `drivers` holds, so that data saved
 * while another tier served is found (invariant 10). Where several drivers hold one name, the
 * copy with the latest `savedAt` wins (a known time beats an unknown one; among unknown times the
 * serving copy, then the earlier driver in the list). The winner is saved into `serving`, loaded
 * back and compared; the other copies are removed only once the serving copy has stood for
 * `settleMs`, by this sweep or a later one. A crash at any moment, a power cut included, leaves a
 * copy whose time is the newest. A name that fails anywhere (a copy that cannot be dated or read,
 * LOCKED, IO, CORRUPT) stays where it is, every copy of it, and is reported; it never stops the
 * sweep. Drivers of the serving driver's `place` are skipped: they hold the same files.
 * One sweep at a time across contexts (a Web Lock); the second finds nothing left to copy.
 * Never rejects: whatever fails is in the report.
 */
export async function adoptFiles(
  serving: Driver,
  drivers: Driver[],
  { lock = 'stowage:adopt', lockTimeoutMs = LOCK_TIMEOUT_MS, settleMs = SETTLE_MS }: AdoptOptions = {},
): Promise<AdoptionReport> {
  const report: AdoptionReport = { adopted: [], superseded: [], pending: [], failed: [] }
  const places = new Set([serving.place])
  const others = drivers.filter((driver) => {
    if (driver === serving || (driver.place !== undefined && places.has(driver.place))) return false
    places.add(driver.place)
    return true
  })
  if (!others.length) return report
  // Until a sweep lists a driver, what it holds is unknown: `removingPending` lists it then.
  const held = new Map<Driver, Set<string> | undefined>(others.map((other) => [other, undefined]))
  left.set(report, held)
  const sweep = () => sweepInto(serving, held, report, { lockTimeoutMs, settleMs })
  if (!globalThis.navigator?.locks) return sweep()
  try {
    await navigator.locks.request(lock, { signal: AbortSignal.timeout(lockTimeoutMs) }, sweep)
  } catch {
    // The sweep never rejects, so the lock was not granted in time. A sweep elsewhere that never
    // ends (a frozen tab) must not keep this worker from serving.
    report.failed.push({ from: serving.id, code: 'LOCKED', message: `no adoption: ${lock} stayed held` })
  }
  return report
}

/**
 * What each other driver still holds after a report's sweep, as far as the sweep knows: the copies
 * it kept pending, the names it failed on, and, where it could not list a driver (or never ran),
 * nothing known. The report names drivers by id only, which two drivers may share.
 */
const left = new WeakMap<AdoptionReport, Map<Driver, Set<string> | undefined>>()

async function sweepInto(
  serving: Driver,
  held: Map<Driver, Set<string> | undefined>,
  report: AdoptionReport,
  limits: Limits,
): Promise<AdoptionReport> {
  const holders = new Map<string, Driver[]>()
  for (const other of held.keys()) {
    try {
      const files = await other.list()
      held.set(other, new Set(files))
      for (const file of files) holders.set(file, [...(holders.get(file) ?? []), other])
    } catch (error) {
      report.failed.push(failure(error, other))
    }
  }
  // The usual start: nothing elsewhere, and the serving driver's own files are never listed.
  if (!holders.size) return report
  let mine: Set<string>
  try {
    mine = new Set(await serving.list())
  } catch (error) {
    report.failed.push(failure(error, serving))
    return report
  }
  const names = [...holders.keys()]
  const drain = async () => {
    for (let file = names.pop(); file !== undefined; file = names.pop()) {
      const copies = holders.get(file)!
      try {
        await adoptName(serving, file, mine.has(file), copies, report, limits, (other) => held.get(other)?.delete(file))
      } catch (error) {
        report.failed.push(failure(error, (error as { from?: Driver }).from ?? copies[0]!, file))
      }
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, drain))
  return report
}

type Limits = Required<Pick<AdoptOptions, 'lockTimeoutMs' | 'settleMs'>>

/** Makes `serving` hold the newest copy of `file`, then, once that copy has settled, removes every other copy. */
async function adoptName(
  serving: Driver,
  file: string,
  held: boolean,
  copies: Driver[],
  report: AdoptionReport,
  { lockTimeoutMs, settleMs }: Limits,
  removed: (driver: Driver) => void,
): Promise<void> {
  // Each call waits at most `lockTimeoutMs` for the file's lock (another tab may hold it and never
  // let go). A failure names the driver that failed; the report names the copy that stays.
  const blame = async <T>(driver: Driver, call: (options: CallOptions) => Promise<T>, from = driver) => {
    const bound = lockBound(lockTimeoutMs, { file, driver: driver.id })
    try {
      return await call({ signal: bound.signal })
    } catch (error) {
      throw Object.assign(toStorageError(error, { file, driver: driver.id }), { from })
    } finally {
      bound.clear()
    }
  }
  const savedAt = (driver: Driver) => blame(driver, async (options) => driver.savedAt?.(file, options))
  const dated: { driver: Driver; at: number | undefined }[] = []
  if (held) dated.push({ driver: serving, at: await savedAt(serving) })
  for (const driver of copies) dated.push({ driver, at: await savedAt(driver) })
  const winner = dated.reduce((best, copy) => (newer(copy.at, best.at) ? copy : best))
  // The old copies stay until the serving copy settles, unless it cannot be dated: kept, they would
  // win again at every sweep. One that cannot be flushed (opfs-async) needs the write-back all the more.
  const keepsOldCopies = !!serving.savedAt && settleMs > 0
  let servedAt = winner.at
  if (winner.driver !== serving) {
    if (keepsOldCopies && winner.at !== undefined)
      await pause(Math.min(winner.at + CLOCK_GRAIN_MS - Date.now(), CLOCK_GRAIN_MS))
    const bytes = await blame(winner.driver, (options) => winner.driver.load(file, options))
    await blame(serving, (options) => serving.save(file, bytes, options), winner.driver)
    const back = await blame(serving, (options) => serving.load(file, options), winner.driver)
    if (!sameBytes(back, bytes)) {
      const error = new StorageError('CORRUPT', `${file}: its copy in ${serving.id} read back other bytes`)
      throw Object.assign(error, { from: winner.driver })
    }
    report.adopted.push({ file, from: winner.driver.id })
    if (keepsOldCopies) servedAt = await savedAt(serving)
  }
  // Kept, a copy that the serving one does not postdate would win again at the next sweep.
  const postdates = winner.driver === serving || newer(servedAt, winner.at)
  const settled = !keepsOldCopies || servedAt === undefined || !postdates || Date.now() - servedAt >= settleMs
  for (const { driver } of dated) {
    if (driver === serving) continue
    if (!settled) {
      report.pending.push({ file, from: driver.id })
      continue
    }
    await blame(driver, (options) => driver.remove(file, options))
    removed(driver)
    if (driver !== winner.driver) report.superseded.push({ file, from: driver.id })
  }
}

/**
 * `serving`, with a `remove` that first removes the name's copies that `report`'s sweep left in
 * other drivers (pending, or on a name it failed on), and, where it could not list a driver or
 * never ran (LOCKED), whatever that driver is found holding then: otherwise the next sweep would
 * bring the removed file back. Their removal comes first, so a crash between leaves the file served.
 */
export function removingPending(serving: Driver, report: AdoptionReport): Driver {
  const held = left.get(report)
  if (!held || [...held.values()].every((files) => files?.size === 0)) return serving
  const remove = async (file: string, options?: CallOptions) => {
    for (const [driver, files] of held) {
      const known = files ?? new Set(await driver.list(options).catch(() => []))
      held.set(driver, known)
      if (!known.has(file)) continue
      await driver.remove(file, options).catch((error: unknown) => {
        throw toStorageError(error, { file, driver: driver.id })
      })
      known.delete(file)
    }
    return serving.remove(file, options)
  }
  // Each member called on `serving` itself, so that a driver written as a class keeps its `this`.
  return {
    id: serving.id,
    place: serving.place,
    flushes: serving.flushes,
    probe: () => serving.probe(),
    load: (file, options) => serving.load(file, options),
    save: (file, data, options) => serving.save(file, data, options),
    list: (options) => serving.list(options),
    close: () => serving.close(),
    ...(serving.savedAt && { savedAt: (file: string, options?: CallOptions) => serving.savedAt!(file, options) }),
    remove,
  }
}

/** A known time beats an unknown one; equal times keep the copy found first. */
const newer = (a: number | undefined, b: number | undefined) => a !== undefined && (b === undefined || a > b)

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function failure(error: unknown, from: Driver, file?: string): AdoptionFailure {
  const { code, message } = toStorageError(error, { file, driver: from.id })
  return { ...(file === undefined ? {} : { file }), from: from.id, code, message }
}
