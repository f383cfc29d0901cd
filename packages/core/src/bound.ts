import { StorageError } from './errors.js'

/**
 * A Stowage holder gives a file's lock up as soon as its current operation ends, and the
 * longest is a big save: 1 GiB at 100 MB/s, a slow disk's speed, takes 10 s. Longer than that, a
 * wait is for a holder that is not coming back, and the app learns so instead of hanging.
 */
export const LOCK_TIMEOUT_MS = 10_000

/**
 * A signal for one driver call that fires LOCKED after `ms`, and with the caller's reason when
 * `caller` aborts first. Drivers pass it to their lock requests only, so it ends a wait for a lock
 * held elsewhere, never I/O that has begun. `clear` stops the timer once the call has settled.
 */
export function lockBound(
  ms: number,
  { file, driver }: { file?: string; driver?: string },
  caller?: AbortSignal,
): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController()
  const timer = setTimeout(
    () =>
      controller.abort(
        new StorageError('LOCKED', `${file ?? 'list'}: its lock was not free within ${ms} ms`, { file, driver }),
      ),
    ms,
  )
  const forward = () => controller.abort(caller?.reason)
  caller?.addEventListener('abort', forward, { once: true })
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer)
      caller?.removeEventListener('abort', forward)
    },
  }
}
