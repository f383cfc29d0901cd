import { describe, expect, it } from 'vitest'
import { createStore, isStorageError, StorageError } from '../src/index.ts'
import { gatedDriver, settle } from './gated-driver.ts'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('the per-file queue', () => {
  it('runs the operations on one file one at a time, in call order', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const results = [store.save('a', bytes(1)), store.load('a'), store.remove('a'), store.load('a').catch((e) => e)]
    for (let i = 1; i <= 4; i++) {
      await reached(i)
      await settle()
      expect(calls).toHaveLength(i)
      calls[i - 1]!.release()
    }
    expect(calls.map((call) => call.op)).toEqual(['save', 'load', 'remove', 'load'])
    const [, loaded, , missing] = await Promise.all(results)
    expect(loaded).toEqual(bytes(1))
    expect(isStorageError(missing, 'NOT_FOUND')).toBe(true)
  })

  it('lets different files run at the same time', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const saves = [store.save('a', bytes(1)), store.save('b', bytes(2)), store.load('c').catch(() => 'missing')]
    await reached(3)
    expect(calls.map((call) => call.file).sort()).toEqual(['a', 'b', 'c'])
    for (const call of calls) call.release()
    expect(await Promise.all(saves)).toEqual([undefined, undefined, 'missing'])
  })

  it('rejects only the failing caller and runs what is queued behind it', async () => {
    const { driver, reached } = gatedDriver()
    const store = createStore(driver)
    const failing = store.save('a', bytes(1)).catch((e) => e)
    const running = await reached(1)
    const after = store.save('a', bytes(2)).then(() => store.load('a'))
    running[0]!.fail(new Error('disk on fire'))
    ;(await reached(2))[1]!.release()
    ;(await reached(3))[2]!.release()
    expect(await after).toEqual(bytes(2))
    const error = await failing
    expect(error).toBeInstanceOf(StorageError)
    expect(error).toMatchObject({ code: 'IO', file: 'a', driver: 'gated' })
    expect((error as StorageError).cause).toMatchObject({ message: 'disk on fire' })
  })
})

describe('coalescing', () => {
  it('writes only the latest of the saves waiting behind a running one, and settles them all', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const first = store.save('a', bytes(1))
    const running = await reached(1)
    const saves = [first, ...[2, 3, 4, 5].map((n) => store.save('a', bytes(n)))]
    running[0]!.release()
    ;(await reached(2))[1]!.release()
    await Promise.all(saves)
    await settle()
    expect(calls.map((call) => [call.op, call.bytes])).toEqual([
      ['save', [1]],
      ['save', [5]],
    ])
  })

  it('never merges saves across a load queued between them', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const first = store.save('a', bytes(1))
    await reached(1)
    const second = store.save('a', bytes(2))
    const between = store.load('a')
    const third = store.save('a', bytes(3))
    const fourth = store.save('a', bytes(4))
    for (let i = 1; i <= 4; i++) (await reached(i))[i - 1]!.release()
    await Promise.all([first, second, third, fourth])
    expect(await between).toEqual(bytes(2))
    expect(calls.map((call) => [call.op, call.bytes])).toEqual([
      ['save', [1]],
      ['save', [2]],
      ['load', undefined],
      ['save', [4]],
    ])
  })

  it('rejects every superseded caller with the error of the save that replaced theirs', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const first = store.save('a', bytes(1))
    const running = await reached(1)
    const burst = [2, 3, 4].map((n) => store.save('a', bytes(n)).catch((e) => e))
    running[0]!.release()
    ;(await reached(2))[1]!.fail(new DOMException('full', 'QuotaExceededError'))
    await first
    const errors = await Promise.all(burst)
    expect(errors[0]).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      file: 'a',
      message: expect.stringMatching(/^a: the browser refused to store 1 B(: .* left of a .* quota)?$/),
    })
    expect(errors[1]).toBe(errors[0])
    expect(errors[2]).toBe(errors[0])
    const load = store.load('a')
    ;(await reached(3))[2]!.release()
    expect(await load).toEqual(bytes(1))
    expect(calls).toHaveLength(3)
  })

  it('keeps the file and the queue healthy when a save fails in the middle of a burst', async () => {
    const { driver, reached } = gatedDriver()
    const store = createStore(driver)
    const outcomes: string[] = []
    const track = (label: string, promise: Promise<unknown>) =>
      promise.then(
        () => outcomes.push(`${label} ok`),
        (e: StorageError) => outcomes.push(`${label} ${e.code}`),
      )
    const s1 = track('s1', store.save('a', bytes(1)))
    await reached(1)
    const all = [
      s1,
      track('s2', store.save('a', bytes(2))),
      track('load', store.load('a')),
      track('s3', store.save('a', bytes(3))),
      track('s4', store.save('a', bytes(4))),
    ]
    ;(await reached(1))[0]!.release()
    ;(await reached(2))[1]!.fail(new DOMException('gone', 'NoModificationAllowedError'))
    ;(await reached(3))[2]!.release()
    ;(await reached(4))[3]!.release()
    await Promise.all(all)
    expect(outcomes).toEqual(['s1 ok', 's2 LOCKED', 'load ok', 's3 ok', 's4 ok'])
    const load = store.load('a')
    ;(await reached(5))[4]!.release()
    expect(await load).toEqual(bytes(4))
  })
})

describe('saves arriving one task at a time (a burst of messages to a worker)', () => {
  it('a save waits one turn of the event loop, so that a save from a task queued before that turn replaces it', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    // Timers of one delay run in the order they were set: this task comes before the store's turn.
    const later = new Promise<Promise<void>>((resolve) => setTimeout(() => resolve(store.save('a', bytes(2)))))
    const first = store.save('a', bytes(1))
    ;(await reached(1))[0]!.release()
    await Promise.all([first, await later])
    await settle()
    expect(calls.map((call) => [call.op, call.bytes])).toEqual([['save', [2]]])
  })

  it('a burst made in one task is one write, whose outcome every caller gets', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const saves = [1, 2, 3].map((n) => store.save('a', bytes(n)).catch((e: StorageError) => e.code))
    ;(await reached(1))[0]!.fail(new DOMException('gone', 'NoModificationAllowedError'))
    expect(await Promise.all(saves)).toEqual(['LOCKED', 'LOCKED', 'LOCKED'])
    await settle()
    expect(calls.map((call) => [call.op, call.bytes])).toEqual([['save', [3]]])
  })
})

describe('list', () => {
  it('waits for every operation queued before it', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    void store.save('a', bytes(1))
    const listing = store.list()
    await reached(1)
    await settle()
    expect(calls.map((call) => call.op)).toEqual(['save'])
    calls[0]!.release()
    ;(await reached(2))[1]!.release()
    expect(await listing).toEqual(['a'])
  })
})

describe('close', () => {
  it('refuses new calls at once, lets queued work finish, then closes the driver', async () => {
    const { driver, reached } = gatedDriver()
    const store = createStore(driver)
    const saving = store.save('a', bytes(1))
    const loading = store.load('a')
    const closing = store.close()
    await expect(store.save('a', bytes(2))).rejects.toMatchObject({ code: 'CLOSED', file: 'a', driver: 'gated' })
    await expect(store.list()).rejects.toMatchObject({ code: 'CLOSED' })
    ;(await reached(1))[0]!.release()
    ;(await reached(2))[1]!.release()
    await saving
    expect(await loading).toEqual(bytes(1))
    const last = (await reached(3))[2]!
    expect(last.op).toBe('close')
    last.release()
    await closing
    expect(store.close()).toBe(closing)
  })

  it('settles queued work that fails, and still closes', async () => {
    const { driver, reached } = gatedDriver()
    const store = createStore(driver)
    const saving = store.save('a', bytes(1)).catch((e) => e)
    const closing = store.close()
    ;(await reached(1))[0]!.fail(new Error('nope'))
    ;(await reached(2))[1]!.release()
    await closing
    expect(await saving).toMatchObject({ code: 'IO' })
  })
})

describe('close, for calls outside the queue', () => {
  it('waits for a list in flight before it closes the driver', async () => {
    const { driver, reached } = gatedDriver()
    const store = createStore(driver)
    const listing = store.list()
    const [list] = await reached(1)
    const closing = store.close()
    await settle()
    expect((await reached(1)).map((call) => call.op)).toEqual(['list'])
    list!.release()
    expect(await listing).toEqual([])
    ;(await reached(2))[1]!.release()
    await closing
  })
})

describe('onWrite', () => {
  it('hears of each write once it lands: a coalesced burst once, a failure never', async () => {
    const { driver, reached } = gatedDriver()
    const writes: unknown[] = []
    const store = createStore(driver, { onWrite: (write) => writes.push(write) })
    const first = store.save('a', bytes(1))
    const [running] = await reached(1)
    const burst = [store.save('a', bytes(2)), store.save('a', bytes(3))]
    running!.release()
    await first
    expect(writes).toEqual([{ file: 'a', op: 'save' }])
    ;(await reached(2))[1]!.release()
    await Promise.all(burst)
    expect(writes).toHaveLength(2)
    const failing = store.remove('a').catch((e) => e)
    ;(await reached(3))[2]!.fail(new Error('nope'))
    expect(await failing).toMatchObject({ code: 'IO' })
    const removing = store.remove('a')
    ;(await reached(4))[3]!.release()
    await removing
    expect(writes).toEqual([
      { file: 'a', op: 'save' },
      { file: 'a', op: 'save' },
      { file: 'a', op: 'remove' },
    ])
  })
})

describe('validation before any I/O', () => {
  it('refuses bad names and data without calling the driver', async () => {
    const { driver, calls, seed } = gatedDriver()
    await seed('kept', bytes(9))
    const store = createStore(driver)
    await expect(store.save('a/b', bytes(1))).rejects.toMatchObject({ code: 'INVALID_NAME', driver: 'gated' })
    await expect(store.load('')).rejects.toMatchObject({ code: 'INVALID_NAME' })
    await expect(store.remove('..')).rejects.toMatchObject({ code: 'INVALID_NAME' })
    await expect(store.save('kept', 'text' as never)).rejects.toMatchObject({ code: 'INVALID_DATA', file: 'kept' })
    await expect(store.save('kept', new Uint16Array(2) as never)).rejects.toMatchObject({ code: 'INVALID_DATA' })
    await settle()
    expect(calls).toHaveLength(0)
  })

  it('stores the bytes as they were when save was called, unless they are transferred', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const input = bytes(1, 2, 3)
    const saving = store.save('a', input)
    input.fill(0)
    ;(await reached(1))[0]!.release()
    await saving
    expect(calls[0]!.bytes).toEqual([1, 2, 3])

    const handed = new Uint8Array([0, 7, 8, 9, 0]).subarray(1, 4)
    const moving = store.save('b', handed, { transfer: true })
    expect(handed.buffer.byteLength).toBe(0)
    ;(await reached(2))[1]!.release()
    await moving
    expect(calls[1]!.bytes).toEqual([7, 8, 9])
  })
})

describe('cancellation', () => {
  const aborted = (error: unknown, reason: unknown, file?: string) => {
    expect(error).toBeInstanceOf(StorageError)
    expect(error).toMatchObject({ code: 'ABORTED', file, driver: 'gated', cause: reason })
  }

  it('an aborted signal refuses the call before anything is queued, copied or detached', async () => {
    const { driver, calls, seed } = gatedDriver()
    await seed('a', bytes(1))
    const store = createStore(driver)
    const reason = new Error('the user went away')
    const signal = AbortSignal.abort(reason)
    const data = bytes(2, 3)
    const errors = await Promise.all([
      store.save('a', data, { signal, transfer: true }).catch((e) => e),
      store.load('a', { signal }).catch((e) => e),
      store.remove('a', { signal }).catch((e) => e),
      store.list({ signal }).catch((e) => e),
    ])
    for (const [i, error] of errors.entries()) aborted(error, reason, i < 3 ? 'a' : undefined)
    await settle()
    expect(calls).toHaveLength(0)
    expect(data.byteLength).toBe(2)
  })

  it('a call aborted while it waits its turn rejects at once, and never reaches the driver', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const first = store.save('a', bytes(1))
    const running = await reached(1)
    const controller = new AbortController()
    const waiting = store.remove('a', { signal: controller.signal }).catch((e) => e)
    controller.abort('stop')
    aborted(await waiting, 'stop', 'a')
    running[0]!.release()
    await first
    await settle()
    expect(calls.map((call) => call.op)).toEqual(['save'])
    const load = store.load('a')
    ;(await reached(2))[1]!.release()
    expect(await load).toEqual(bytes(1))
  })

  it('a call aborted while the driver waits for the lock rejects ABORTED and changes nothing', async () => {
    const { driver, reached, seed } = gatedDriver()
    await seed('a', bytes(1))
    const store = createStore(driver)
    const controller = new AbortController()
    const saving = store.save('a', bytes(2), { signal: controller.signal }).catch((e) => e)
    const [call] = await reached(1)
    expect(call!.signal).toBeInstanceOf(AbortSignal)
    controller.abort('stop')
    aborted(await saving, 'stop', 'a')
    const load = store.load('a')
    ;(await reached(2))[1]!.release()
    expect(await load).toEqual(bytes(1))
  })

  it('once its I/O has begun, an aborted call finishes and settles with what happened', async () => {
    const { driver, reached } = gatedDriver()
    const store = createStore(driver)
    const controller = new AbortController()
    const saving = store.save('a', bytes(2), { signal: controller.signal })
    ;(await reached(1))[0]!.release()
    controller.abort('too late')
    await expect(saving).resolves.toBeUndefined()
    const load = store.load('a')
    ;(await reached(2))[1]!.release()
    expect(await load).toEqual(bytes(2))
  })

  it('a save that may be aborted never takes the save waiting before it along', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const running = store.save('a', bytes(1))
    ;(await reached(1))[0]!
    const waiting = store.save('a', bytes(2))
    const controller = new AbortController()
    const cancelled = store.save('a', bytes(3), { signal: controller.signal }).catch((e) => e)
    controller.abort('stop')
    aborted(await cancelled, 'stop', 'a')
    calls[0]!.release()
    ;(await reached(2))[1]!.release()
    await Promise.all([running, waiting])
    await settle()
    expect(calls.map((call) => call.bytes)).toEqual([[1], [2]])
  })

  it('a later save still supersedes a waiting save that carries a signal', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const running = store.save('a', bytes(1))
    await reached(1)
    const withSignal = store.save('a', bytes(2), { signal: new AbortController().signal })
    const latest = store.save('a', bytes(3))
    calls[0]!.release()
    ;(await reached(2))[1]!.release()
    await Promise.all([running, withSignal, latest])
    expect(calls.map((call) => call.bytes)).toEqual([[1], [3]])
  })
})

describe('durability', () => {
  type Asked = { durability?: 'strict' | 'relaxed'; signal?: AbortSignal }
  const signal = () => new AbortController().signal

  /**
   * One save runs (held at the driver), then `waiting` and `later` are made behind it: what
   * reaches the driver after the running save, as [bytes, durability].
   */
  async function writesBehind(waiting: Asked, later: Asked, storeDefault?: 'strict' | 'relaxed') {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver, { durability: storeDefault })
    const running = store.save('a', bytes(1))
    await reached(1)
    const saves = [running, store.save('a', bytes(2), waiting), store.save('a', bytes(3), later)]
    for (let i = 1; ; i++) {
      calls[i - 1]!.release()
      await settle()
      if (calls.length === i) break
    }
    await Promise.all(saves)
    return calls.slice(1).map((call) => [call.bytes, call.durability])
  }

  it('the driver gets the durability asked for: per save, else the store default, else strict', async () => {
    const { driver, calls, reached } = gatedDriver()
    const strictStore = createStore(driver)
    const relaxedStore = createStore(driver, { durability: 'relaxed' })
    const saves = [
      strictStore.save('a', bytes(1)),
      strictStore.save('b', bytes(2), { durability: 'relaxed' }),
      relaxedStore.save('c', bytes(3)),
      relaxedStore.save('d', bytes(4), { durability: 'strict' }),
      // A foreign poster's word that is neither gets the safe one.
      relaxedStore.save('e', bytes(5), { durability: 'loose' as 'relaxed' }),
    ]
    await reached(5)
    for (const call of calls) call.release()
    await Promise.all(saves)
    expect(Object.fromEntries(calls.map((call) => [call.file, call.durability]))).toEqual({
      a: 'strict',
      b: 'relaxed',
      c: 'relaxed',
      d: 'strict',
      e: 'strict',
    })
  })

  it('a strict save supersedes a waiting strict one', async () => {
    expect(await writesBehind({}, {})).toEqual([[[3], 'strict']])
  })

  it('a relaxed save supersedes a waiting relaxed one', async () => {
    expect(await writesBehind({ durability: 'relaxed' }, { durability: 'relaxed' })).toEqual([[[3], 'relaxed']])
    expect(await writesBehind({}, {}, 'relaxed')).toEqual([[[3], 'relaxed']])
  })

  it('a strict save supersedes a waiting relaxed one, and the one write is strict', async () => {
    expect(await writesBehind({ durability: 'relaxed' }, { durability: 'strict' })).toEqual([[[3], 'strict']])
    expect(await writesBehind({}, { durability: 'strict' }, 'relaxed')).toEqual([[[3], 'strict']])
  })

  it('a relaxed save never supersedes a waiting strict one: the strict caller gets a strict write', async () => {
    expect(await writesBehind({}, { durability: 'relaxed' })).toEqual([
      [[2], 'strict'],
      [[3], 'relaxed'],
    ])
    expect(await writesBehind({ durability: 'strict' }, {}, 'relaxed')).toEqual([
      [[2], 'strict'],
      [[3], 'relaxed'],
    ])
  })

  it('a save with a signal supersedes nothing, whatever either durability', async () => {
    for (const waiting of ['strict', 'relaxed'] as const) {
      for (const later of ['strict', 'relaxed'] as const) {
        expect(await writesBehind({ durability: waiting }, { durability: later, signal: signal() })).toEqual([
          [[2], waiting],
          [[3], later],
        ])
      }
    }
  })

  it('a waiting save with a signal is superseded by the durability rule alone', async () => {
    expect(await writesBehind({ signal: signal(), durability: 'relaxed' }, {})).toEqual([[[3], 'strict']])
    expect(await writesBehind({ signal: signal() }, { durability: 'relaxed' })).toEqual([
      [[2], 'strict'],
      [[3], 'relaxed'],
    ])
  })

  it('a strict save behind a strict then a relaxed one supersedes only the relaxed one', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver)
    const running = store.save('a', bytes(1))
    await reached(1)
    const saves = [
      running,
      store.save('a', bytes(2)),
      store.save('a', bytes(3), { durability: 'relaxed' }),
      store.save('a', bytes(4)),
      store.save('a', bytes(5), { durability: 'relaxed' }),
    ]
    for (let i = 1; i <= 4; i++) (await reached(i))[i - 1]!.release()
    await Promise.all(saves)
    await settle()
    expect(calls.map((call) => [call.bytes, call.durability])).toEqual([
      [[1], 'strict'],
      [[2], 'strict'],
      [[4], 'strict'],
      [[5], 'relaxed'],
    ])
  })
})

describe('bounded lock waits', () => {
  it('a call that waits longer than lockTimeoutMs rejects LOCKED; the calls behind it go on', async () => {
    const { driver, calls, reached } = gatedDriver()
    const store = createStore(driver, { lockTimeoutMs: 30 })
    const stuck = store.save('a', bytes(1)).catch((e) => e)
    const behind = store.save('a', bytes(2), { signal: new AbortController().signal })
    const error = await stuck
    expect(error).toMatchObject({ code: 'LOCKED', file: 'a', driver: 'gated' })
    expect(error.message).toContain('30 ms')
    ;(await reached(2))[1]!.release()
    await behind
    expect(calls.map((call) => call.bytes)).toEqual([[1], [2]])
  })

  it('the bound counts from when the call reaches the driver, not from when it was made', async () => {
    const { driver, reached } = gatedDriver()
    const store = createStore(driver, { lockTimeoutMs: 50 })
    const pause = () => new Promise((resolve) => setTimeout(resolve, 30))
    const first = store.save('a', bytes(1))
    const second = store.load('a')
    await reached(1)
    await pause()
    ;(await reached(1))[0]!.release()
    await first
    await reached(2)
    await pause()
    // 60 ms after it was made, 30 ms after it reached the driver.
    ;(await reached(2))[1]!.release()
    expect(await second).toEqual(bytes(1))
  })
})
