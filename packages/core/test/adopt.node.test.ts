import { describe, expect, it } from 'vitest'
import { adoptFiles, removingPending, SETTLE_MS } from '../src/adopt.ts'
import type { Driver } from '../src/driver.ts'
import { memoryDriver } from '../src/memory.ts'

/**
 * The sweep's rules, on memory drivers that keep a save time of their own: which copy wins and
 * what is reported. Node has no Web Locks, so the sweep runs unlocked here; the browser tests
 * (worker-host's adopt.cases.ts) cover the lock, real tiers and failures of real storage.
 */
function timed(id: string, place?: string): Driver & { times: Map<string, number | undefined> } {
  const inner = memoryDriver()
  const times = new Map<string, number | undefined>()
  return {
    ...inner,
    id,
    place,
    times,
    save: async (file, data) => {
      await inner.save(file, data)
      times.set(file, Date.now())
    },
    savedAt: async (file) => times.get(file),
  }
}

/** A sweep that removes the other copies at once: these rules are not about settling. */
const sweep = (serving: Driver, drivers: Driver[]) => adoptFiles(serving, drivers, { settleMs: 0 })

const bytes = (...values: number[]) => Uint8Array.from(values)

/** Puts `file` in `driver` as saved at `at` (undefined: a time never kept). */
async function put(driver: ReturnType<typeof timed>, file: string, data: Uint8Array, at: number | undefined) {
  await driver.save(file, data)
  driver.times.set(file, at)
}

describe('adoptFiles', () => {
  it('moves what only another driver holds, and reports it', async () => {
    const [serving, other] = [timed('a'), timed('b')]
    await put(other, 'x', bytes(1), 10)
    const report = await sweep(serving, [serving, other])
    expect(report).toEqual({ adopted: [{ file: 'x', from: 'b' }], superseded: [], pending: [], failed: [] })
    expect(await serving.load('x')).toEqual(bytes(1))
    expect(await other.list()).toEqual([])
  })

  it('keeps the newest copy; a known time beats an unknown one; equal or unknown times keep the serving copy', async () => {
    const [serving, other] = [timed('a'), timed('b')]
    const cases: [number | undefined, number | undefined, 'serving' | 'other'][] = [
      [10, 20, 'other'],
      [20, 10, 'serving'],
      [undefined, 10, 'other'],
      [10, undefined, 'serving'],
      [undefined, undefined, 'serving'],
      [10, 10, 'serving'],
    ]
    for (const [mine, theirs, winner] of cases) {
      await put(serving, 'x', bytes(1), mine)
      await put(other, 'x', bytes(2), theirs)
      const report = await sweep(serving, [serving, other])
      const entry = [{ file: 'x', from: 'b' }]
      expect(report, `${mine} vs ${theirs}`).toEqual(
        winner === 'other'
          ? { adopted: entry, superseded: [], pending: [], failed: [] }
          : { adopted: [], superseded: entry, pending: [], failed: [] },
      )
      expect(await serving.load('x')).toEqual(bytes(winner === 'other' ? 2 : 1))
    }
  })

  it('skips drivers of the serving place, and a second driver of a place already swept', async () => {
    const serving = timed('a', 'p')
    const [same, other, twin] = [timed('b', 'p'), timed('c', 'q'), timed('d', 'q')]
    await put(same, 'x', bytes(1), 99)
    await put(other, 'y', bytes(2), 1)
    const report = await sweep(serving, [serving, same, other, twin])
    expect(report.adopted).toEqual([{ file: 'y', from: 'c' }])
    expect(await same.list()).toEqual(['x'])
  })

  it('never rejects: a driver that cannot list, date, load or take the copy is reported and left alone', async () => {
    const serving = timed('a')
    const [broken, source] = [timed('b'), timed('c')]
    await put(source, 'ok', bytes(1), 1)
    await put(source, 'dated', bytes(2), 1)
    await put(source, 'refused', bytes(3), 1)
    const unlistable: Driver = { ...broken, list: () => Promise.reject(new Error('no listing')) }
    const flaky: Driver = {
      ...source,
      savedAt: async (file) => {
        if (file === 'dated') throw new DOMException('gone', 'NotReadableError')
        return source.times.get(file)
      },
    }
    const refusing: Driver = {
      ...serving,
      save: (file, data) =>
        file === 'refused' ? Promise.reject(new DOMException('full', 'QuotaExceededError')) : serving.save(file, data),
    }
    const report = await sweep(refusing, [refusing, unlistable, flaky])
    expect(report.adopted).toEqual([{ file: 'ok', from: 'c' }])
    expect(report.failed.map(({ file, from, code }) => `${file}@${from}:${code}`).sort()).toEqual([
      'dated@c:IO',
      'refused@c:QUOTA_EXCEEDED',
      'undefined@b:IO',
    ])
    expect((await source.list()).sort()).toEqual(['dated', 'refused'])
  })

  it('keeps the other copies until the serving copy has settled; a later sweep removes them', async () => {
    const [serving, other] = [timed('a'), timed('b')]
    await put(other, 'x', bytes(1), 10)
    const entry = [{ file: 'x', from: 'b' }]
    expect(await adoptFiles(serving, [serving, other])).toEqual({
      adopted: entry,
      superseded: [],
      pending: entry,
      failed: [],
    })
    expect(await serving.load('x')).toEqual(bytes(1))
    expect(await other.list()).toEqual(['x'])
    const again = await adoptFiles(serving, [serving, other])
    expect(again, 'a sweep before the copy settles copies nothing').toEqual({
      adopted: [],
      superseded: [],
      pending: entry,
      failed: [],
    })
    serving.times.set('x', Date.now() - SETTLE_MS)
    const settled = await adoptFiles(serving, [serving, other])
    expect(settled).toEqual({ adopted: [], superseded: entry, pending: [], failed: [] })
    expect(await other.list()).toEqual([])
    expect(await serving.load('x')).toEqual(bytes(1))
  })

  it('removes at once what a serving driver that cannot date its copies adopts, as it would win again', async () => {
    const serving = { ...memoryDriver(), id: 'a' }
    const other = timed('b')
    await put(other, 'x', bytes(1), 10)
    const report = await adoptFiles(serving, [serving, other])
    expect(report.pending).toEqual([])
    expect(await other.list()).toEqual([])
  })

  it("an app's remove reaches the pending copies, so no later sweep brings the file back", async () => {
    const [serving, other] = [timed('a'), timed('b')]
    await put(other, 'x', bytes(1), 10)
    await put(other, 'y', bytes(2), 10)
    const report = await adoptFiles(serving, [serving, other])
    const store = removingPending(serving, report)
    await store.remove('x')
    await serving.remove('y')
    expect(await other.list(), 'only the bare remove left its pending copy').toEqual(['y'])
    const next = await sweep(serving, [serving, other])
    expect(next.adopted, 'the bare remove of y let the sweep bring it back').toEqual([{ file: 'y', from: 'b' }])
    expect(await serving.list()).toEqual(['y'])
  })

  it('a copy dates after its source, which stays pending, on a clock that counts whole seconds', async () => {
    const [serving, other] = [timed('a'), timed('b')]
    const wholeSeconds: Driver = {
      ...serving,
      save: async (file, data) => {
        await serving.save(file, data)
        serving.times.set(file, Math.floor(Date.now() / 1000) * 1000)
      },
    }
    await other.save('x', bytes(1))
    const report = await adoptFiles(wholeSeconds, [wholeSeconds, other])
    expect(report.pending).toEqual([{ file: 'x', from: 'b' }])
    expect(serving.times.get('x')).toBeGreaterThan(other.times.get('x')!)
    expect((await adoptFiles(wholeSeconds, [wholeSeconds, other])).adopted).toEqual([])
  })

  it('a source dated in the future is not waited for: its copy cannot postdate it, so it goes at once', async () => {
    const [serving, other] = [timed('a'), timed('b')]
    await put(other, 'x', bytes(1), Date.now() + 3_600_000)
    const report = await adoptFiles(serving, [serving, other])
    expect(report).toEqual({ adopted: [{ file: 'x', from: 'b' }], superseded: [], pending: [], failed: [] })
    expect(await other.list()).toEqual([])
  })

  it('with three drivers, every other copy stays until the serving one settles', async () => {
    const [serving, older, newest] = [timed('a'), timed('b'), timed('c')]
    await put(serving, 'x', bytes(1), 10)
    await put(older, 'x', bytes(2), 20)
    await put(newest, 'x', bytes(3), 30)
    const drivers = [serving, older, newest]
    const report = await adoptFiles(serving, drivers)
    expect(report.adopted).toEqual([{ file: 'x', from: 'c' }])
    expect(report.pending.map(({ from }) => from).sort()).toEqual(['b', 'c'])
    expect([await older.list(), await newest.list()]).toEqual([['x'], ['x']])
    serving.times.set('x', Date.now() - SETTLE_MS)
    const settled = await adoptFiles(serving, drivers)
    expect(settled.superseded.map(({ from }) => from).sort()).toEqual(['b', 'c'])
    expect([await older.list(), await newest.list(), await serving.load('x')]).toEqual([[], [], bytes(3)])
  })

  it('a remove reaches copies the sweep kept by any driver: two of one id, a name it failed on, a driver it could not list', async () => {
    const serving = timed('a')
    const [one, twin, flaky, unlisted] = [timed('b', 'p'), timed('b', 'q'), timed('c'), timed('d')]
    for (const driver of [one, twin]) await put(driver, 'x', bytes(1), 10)
    await put(flaky, 'y', bytes(2), 10)
    await put(unlisted, 'z', bytes(3), 10)
    let listable = false
    const drivers: Driver[] = [
      serving,
      one,
      twin,
      { ...flaky, savedAt: () => Promise.reject(new DOMException('busy', 'NotReadableError')) },
      { ...unlisted, list: () => (listable ? unlisted.list() : Promise.reject(new Error('not now'))) },
    ]
    const report = await adoptFiles(serving, drivers)
    expect(report.failed.map(({ file, from }) => `${file}@${from}`).sort()).toEqual(['undefined@d', 'y@c'])
    listable = true
    const store = removingPending(serving, report)
    for (const file of ['x', 'y', 'z']) await store.remove(file)
    expect([await one.list(), await twin.list(), await flaky.list(), await unlisted.list()]).toEqual([[], [], [], []])
  })

  it('the driver it hands back calls every member on the serving driver, as a class needs', async () => {
    class Counted {
      readonly id = 'a'
      #inner = timed('a')
      probe = async () => {}
      async load(file: string) {
        return this.#inner.load(file)
      }
      async save(file: string, data: Uint8Array) {
        return this.#inner.save(file, data)
      }
      async remove(file: string) {
        return this.#inner.remove(file)
      }
      async list() {
        return this.#inner.list()
      }
      async close() {}
      async savedAt(file: string) {
        return this.#inner.times.get(file)
      }
    }
    const serving = new Counted()
    const other = timed('b')
    await put(other, 'x', bytes(1), 10)
    const store = removingPending(serving, await adoptFiles(serving, [serving, other]))
    expect(store).not.toBe(serving)
    expect([await store.load('x'), await store.list(), typeof (await store.savedAt?.('x'))]).toEqual([
      bytes(1),
      ['x'],
      'number',
    ])
    await store.remove('x')
    expect([await store.list(), await other.list()]).toEqual([[], []])
  })
})
