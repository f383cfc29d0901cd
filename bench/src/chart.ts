import { ms, size } from './format.js'
import type { Group } from './results.js'
import type { BenchJson } from './run.js'
import { stamp } from './report.js'

const WIDTH = 1200
const PANEL_WIDTH = 585
const LABEL_WIDTH = 210
const BAR_WIDTH = 290
const ROW = 22
const COLORS: Record<Group, [string, string]> = {
  stowage: ['#1d4ed8', '#93c5fd'],
  raw: ['#4b5563', '#d1d5db'],
  library: ['#c2410c', '#fdba74'],
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

interface Bar {
  value: number
  color: string
  note?: string
  /** A tick drawn across the bar at this value (a baseline). */
  mark?: number
}

interface Panel {
  title: string
  rows: { label: string; bars: Bar[] }[]
}

function panel({ title, rows }: Panel, x: number, y: number): string {
  const values = rows.flatMap((row) => row.bars.flatMap((bar) => [bar.value, bar.mark ?? 0])).filter(Number.isFinite)
  const scale = BAR_WIDTH / Math.max(...values, 1e-9)
  const parts = [`<text x="${x}" y="${y + 14}" font-weight="600" font-size="13">${escapeXml(title)}</text>`]
  rows.forEach((row, index) => {
    const top = y + 24 + index * ROW
    parts.push(
      `<text x="${x + LABEL_WIDTH - 8}" y="${top + ROW / 2 + 4}" text-anchor="end">${escapeXml(row.label)}</text>`,
    )
    const height = (ROW - 4) / row.bars.length
    row.bars.forEach((bar, at) => {
      const barTop = top + 2 + at * height
      const width = Number.isFinite(bar.value) ? Math.max(1, bar.value * scale) : 0
      parts.push(
        `<rect x="${x + LABEL_WIDTH}" y="${barTop.toFixed(1)}" width="${width.toFixed(1)}" height="${(height - 1).toFixed(1)}" fill="${bar.color}"/>`,
      )
      if (bar.mark !== undefined && Number.isFinite(bar.mark)) {
        const markX = x + LABEL_WIDTH + bar.mark * scale
        parts.push(
          `<line x1="${markX.toFixed(1)}" x2="${markX.toFixed(1)}" y1="${(barTop - 1).toFixed(1)}" y2="${(barTop + height).toFixed(1)}" stroke="#111" stroke-width="1.5"/>`,
        )
      }
      const text = `${ms(bar.value)}${bar.note ? ` ${bar.note}` : ''}`
      parts.push(
        `<text x="${(x + LABEL_WIDTH + width + 4).toFixed(1)}" y="${(barTop + height - 2).toFixed(1)}" font-size="${height < 10 ? 8.5 : 10}">${escapeXml(text)}</text>`,
      )
    })
  })
  return parts.join('\n')
}

/** The run as an SVG chart: save and load medians per size, the burst, and the main-thread gaps. */
export function chart(json: BenchJson): string {
  const panels: Panel[] = json.config.sizes.map(({ bytes }, index) => ({
    title: `${size(bytes)}: median save (dark) and load (light), ms`,
    rows: json.summary.map((entry, at) => {
      const { label, group } = json.contenders[at]!.info
      const sizes = entry.sizes[index]
      return {
        label,
        bars: [
          { value: sizes?.save.median ?? NaN, color: COLORS[group][0] },
          { value: sizes?.load.median ?? NaN, color: COLORS[group][1] },
        ],
      }
    }),
  }))
  panels.push({
    title: `Burst of ${json.config.burst.count} un-awaited ${size(json.config.burst.bytes)} saves: median total, ms`,
    rows: json.summary.map((entry, at) => {
      const { label, group } = json.contenders[at]!.info
      const errors = entry.burst?.errors ?? 0
      return {
        label,
        bars: [
          { value: entry.burst?.ms ?? NaN, color: COLORS[group][0], note: errors ? `(${errors} errors)` : undefined },
        ],
      }
    }),
  })
  panels.push({
    title: `Worst main-thread gap during ${json.config.gap.count} × ${size(json.config.gap.bytes)} saves, ms (tick: idle)`,
    rows: json.summary.map((entry, at) => {
      const { label, group } = json.contenders[at]!.info
      return {
        label,
        bars: [
          {
            value: entry.gap?.timeout ?? NaN,
            color: COLORS[group][0],
            mark: entry.gap?.idle.timeout,
            note: 'setTimeout',
          },
          { value: entry.gap?.frame ?? NaN, color: COLORS[group][1], mark: entry.gap?.idle.frame, note: 'frames' },
        ],
      }
    }),
  })

  const panelHeight = 24 + json.summary.length * ROW + 16
  const top = 58
  const height = top + Math.ceil(panels.length / 2) * panelHeight + 10
  const body = panels.map((each, index) =>
    panel(each, 10 + (index % 2) * (PANEL_WIDTH + 10), top + Math.floor(index / 2) * panelHeight),
  )
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11" fill="#111">`,
    // A title, so that a screen reader says what the chart is.
    '<title>Save and load medians, burst and main-thread gaps per contender</title>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="22" font-size="16" font-weight="700">Stowage next to the raw browser APIs, idb-keyval and localForage${json.meta.quick ? ' (quick run)' : ''}</text>`,
    `<text x="10" y="42" fill="#444">${escapeXml(stamp(json))} · blue: Stowage (timed on the page) · grey: raw APIs (timed in their worker) · orange: libraries (page)</text>`,
    ...body,
    '</svg>',
  ].join('\n')
}
