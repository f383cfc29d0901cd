import { StorageError } from './errors.js'

/**
 * A QUOTA_EXCEEDED error that says how much was asked and how much room the origin has left,
 * where the browser tells (navigator.storage.estimate).
 */
export async function explainQuota({ file, driver, cause }: StorageError, asked: number): Promise<StorageError> {
  const { usage, quota } = (await globalThis.navigator?.storage?.estimate?.().catch(() => undefined)) ?? {}
  const room = usage !== undefined && quota !== undefined ? `; ${size(Math.max(0, quota - usage))} left of a ${size(quota)} quota` : ''
  return new StorageError('QUOTA_EXCEEDED', `${file}: no room to store ${size(asked)}${room}`, { file, driver, cause })
}

/** 1000 B, 9.8 KiB, 98 KiB: binary units, one decimal below 10. */
function size(bytes: number): string {
  let unit = 0
  for (; bytes >= 1024 && unit < 4; unit++) bytes /= 1024
  return unit ? `${bytes.toFixed(bytes < 10 ? 1 : 0)} ${'KMGT'[unit - 1]}iB` : `${bytes} B`
}
