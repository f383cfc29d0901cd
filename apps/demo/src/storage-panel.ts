import type { Info } from '@stowage/worker-host'
import { byId, h } from './dom.js'
import { formatBytes, formatMs } from './format.js'
import type { Stats } from './persistence.js'
import { TIERS, type Tier } from './tiers.js'

const STATE_LABELS: Record<Stats['state'], string> = {
  loading: 'Loading…',
  clean: 'Up to date',
  pending: 'Unsaved edits',
  saving: 'Saving…',
  error: 'Error',
}

/** The storage card: which tier serves and why the others do not, and the graph file's numbers. */
export function createStoragePanel(forced: Tier | undefined) {
  const tier = byId('tier')
  const probes = byId<HTMLUListElement>('probes')
  const state = byId('save-state')
  const error = byId('storage-error')
  const follow = byId('sync-note')

  function why(id: Tier, info: Info): { mark: string; kind: string; reason: string } {
    const probe = info.probes.find((result) => result.id === id)
    if (probe?.ok) return { mark: '✓', kind: 'ok', reason: 'probe passed: serves this page' }
    if (probe) return { mark: '✗', kind: 'failed', reason: probe.reason ?? 'probe failed' }
    if (forced) return { mark: '–', kind: 'skipped', reason: `not offered: this page asked for ?driver=${forced}` }
    return { mark: '–', kind: 'skipped', reason: 'not probed: a faster tier already serves' }
  }

  return {
    info(info: Info): void {
      tier.textContent = info.driver ?? 'no tier'
      tier.dataset.driver = info.driver ?? ''
      probes.replaceChildren(
        ...TIERS.map((id) => {
          const { mark, kind, reason } = why(id, info)
          return h(
            'li',
            { class: `probe ${kind}`, 'data-tier': id },
            h('span', { class: 'mark', 'aria-hidden': 'true' }, mark),
            h('code', {}, id),
            h('span', { class: 'reason' }, reason),
          )
        }),
      )
    },

    stats(stats: Stats): void {
      state.textContent = STATE_LABELS[stats.state]
      state.dataset.state = stats.state
      const metric = (id: string, text: string) => (byId(id).textContent = text)
      const when = <T>(value: T | undefined, format: (value: T) => string, otherwise = '') =>
        value === undefined ? otherwise : format(value)
      metric('save-ms', when(stats.saveMs, formatMs, '—'))
      metric(
        'encode-ms',
        when(stats.encodeMs, (ms) => `encode ${formatMs(ms)}`),
      )
      metric('load-ms', when(stats.loadMs, formatMs, '—'))
      metric(
        'decode-ms',
        when(stats.decodeMs, (ms) => `decode ${formatMs(ms)}`),
      )
      metric('stored-size', when(stats.stored, formatBytes, '—'))
      metric(
        'raw-size',
        when(stats.raw, (bytes) => `${formatBytes(bytes)} before zlib`, 'not saved yet'),
      )
      follow.textContent = stats.followedAt
        ? `Followed another tab's save at ${stats.followedAt.toLocaleTimeString()}.`
        : 'Open a second tab: it follows every save.'
      error.hidden = !stats.error
      error.textContent = stats.error ?? ''
    },

    failed(message: string): void {
      tier.textContent = 'unavailable'
      error.hidden = false
      error.textContent = message
    },
  }
}
