import type { Client } from '@stowage/worker-host'

export const STRESS_FILE = 'stress.bin'
export const STRESS_BYTES = 16 * 1024 * 1024
export const STRESS_ROUNDS = 20
const MAIN_DATABASE = 'stowage-demo-main-thread'
const MAIN_STORE = 'files'

export interface StressResult {
  totalMs: number
  /** The longest the page was held inside one save call (a copy, a clone, a post). */
  blockedMs: number
}

/** Incompressible bytes, fast: xorshift32 rather than crypto, which gives 64 KiB a call. */
export function noise(size: number): Uint8Array {
  const words = new Uint32Array(size / 4)
  let state = 0x9e3779b9
  for (let i = 0; i < words.length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    words[i] = state
  }
  return new Uint8Array(words.buffer)
}

/**
 * The bytes of each round, made before the meter starts so that it sees the cost of saving alone.
 * A transferred buffer is gone once saved, so each round of a transfer run needs its own copy
 * (one per frame, to keep the page responsive meanwhile); the other runs save the template itself.
 */
export async function prepareRounds(template: Uint8Array, transfer: boolean): Promise<Uint8Array[]> {
  if (!transfer) return Array<Uint8Array>(STRESS_ROUNDS).fill(template)
  const rounds: Uint8Array[] = []
  while (rounds.length < STRESS_ROUNDS) {
    rounds.push(template.slice())
    await new Promise(requestAnimationFrame)
  }
  return rounds
}

/** Saves each round's bytes through the storage worker, moving them (transfer) or copying them. */
export async function stressWorker(
  client: Client,
  rounds: Uint8Array[],
  transfer: boolean,
  progress: (round: number) => void,
): Promise<StressResult> {
  const started = performance.now()
  let blockedMs = 0
  try {
    for (const [index, bytes] of rounds.entries()) {
      const before = performance.now()
      const saving = client.save(STRESS_FILE, bytes, { transfer })
      blockedMs = Math.max(blockedMs, performance.now() - before)
      await saving
      progress(index + 1)
    }
    return { totalMs: performance.now() - started, blockedMs }
  } finally {
    await client.remove(STRESS_FILE)
  }
}

/** The same work without Stowage: IndexedDB puts issued from the page itself. */
export async function stressMainThread(rounds: Uint8Array[], progress: (round: number) => void): Promise<StressResult> {
  const database = await openDatabase()
  const started = performance.now()
  let blockedMs = 0
  try {
    for (const [index, bytes] of rounds.entries()) {
      const before = performance.now()
      const transaction = database.transaction(MAIN_STORE, 'readwrite', { durability: 'strict' })
      transaction.objectStore(MAIN_STORE).put(bytes.buffer, STRESS_FILE)
      blockedMs = Math.max(blockedMs, performance.now() - before)
      await completion(transaction)
      progress(index + 1)
    }
    return { totalMs: performance.now() - started, blockedMs }
  } finally {
    try {
      const cleanup = database.transaction(MAIN_STORE, 'readwrite')
      cleanup.objectStore(MAIN_STORE).delete(STRESS_FILE)
      await completion(cleanup)
    } finally {
      database.close()
    }
  }
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(MAIN_DATABASE, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(MAIN_STORE)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
    request.onblocked = () => reject(new Error(`${MAIN_DATABASE} is held open by another tab at an older version`))
  })
}

function completion(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve()
    transaction.onerror = () => reject(transaction.error)
    transaction.onabort = () => reject(transaction.error ?? new Error('the transaction was aborted'))
  })
}
