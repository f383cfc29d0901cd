import { StorageError } from './errors.js'

/**
 * A QUOTA_EXCEEDED error that says what is known: the browser refused to store this many bytes.
 * The room the origin has left (navigator.storage.estimate) is added only when it is less than
 * the request, where it explains the refusal; elsewhere it means little (private windows estimate
 * far more room than they grant) and would contradict the refusal.
 */
export async function explainQuota({ file, driver, cause }: StorageError, asked: number): Promise<StorageError> {
  const { usage, quota } = (await globalThis.navigator?.storage?.estimate?.().catch(() => undefined)) ?? {}
  const left = usage !== undefined && quota !== undefined ? Math.max(0, quota - usage) : asked
  const room = left < asked ? `: ${size(left)} left of a ${size(quota!)} quota` : ''
  return new StorageError('QUOTA_EXCEEDED', `${file}: the browser refused to store ${size(asked)}${room}`, {
    file,
    driver,
    cause,
  })
}

/** 1000 B, 9.8 KiB, 98 KiB: binary units, one decimal below 10. */
function size(bytes: number): string {
  let unit = 0
  for (; bytes >= 1024 && unit < 4; unit++) bytes /= 1024
  return unit ? `${bytes.toFixed(bytes < 10 ? 1 : 0)} ${'KMGT'[unit - 1]}iB` : `${bytes} B`
}
