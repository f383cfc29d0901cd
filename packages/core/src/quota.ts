import { StorageError } from './errors.js'

/**
 * A QUOTA_EXCEEDED error that says how much was asked and how much room the origin has left,
 * where the browser tells (navigator.storage.estimate).
 */
export async function explainQuota(error: StorageError, asked: number): Promise<StorageError> {
  const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => undefined)
  const { usage, quota } = estimate ?? {}
  const room = usage !== undefined && quota !== undefined ? `; ${size(Math.max(0, quota - usage))} left of a ${size(quota)} quota` : ''
  return new StorageError('QUOTA_EXCEEDED', `${error.file}: no room to store ${size(asked)}${room}`, {
    file: error.file,
    driver: error.driver,
    cause: error.cause,
  })
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}
