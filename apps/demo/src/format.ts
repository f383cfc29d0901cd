/** 1.4 ms, 23 ms, 4.2 s: one decimal where it matters. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`
}

/** 812 B, 3.4 KiB, 16 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / 1024 / 1024, 'MiB']
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`
}
