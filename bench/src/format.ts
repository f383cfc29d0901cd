/** How numbers read in the table and the chart. */

export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—'
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)
}

export function times(value: number): string {
  if (!Number.isFinite(value)) return '—'
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)}×`
}

export function size(bytes: number): string {
  return bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`
}

/** Kilobytes of 1000 bytes, as bundle sizes are usually quoted. */
export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`
