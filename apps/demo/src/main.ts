import './style.css'
import { createEditor } from './editor.js'
import { addNote, clampToArea, emptyGraph, link, linked, removeNote, sampleGraph, unlink, type Graph } from './graph.js'
import { createGraphView } from './graph-view.js'
import { byId } from './dom.js'
import { createPersistence } from './persistence.js'
import { startStorage } from './storage.js'
import { createStoragePanel } from './storage-panel.js'
import { createStressPanel } from './stress-panel.js'
import { requestedTier } from './tiers.js'

const tier = requestedTier(location.search)
const client = startStorage(tier)
const app = byId('app')
let graph: Graph = emptyGraph()
let selected: number | undefined

const storagePanel = createStoragePanel(tier)
const persistence = createPersistence(client, () => graph, {
  stats: storagePanel.stats,
  remote(stored) {
    graph = stored ?? emptyGraph()
    render()
  },
})

/** Applies a change to the graph, redraws, and schedules the save. */
function edit(change: () => void): void {
  change()
  render()
  persistence.changed()
}

const actions = {
  select(id: number | undefined) {
    selected = id
    render()
  },
  toggleLink(a: number, b: number) {
    edit(() => (linked(graph, a, b) ? unlink(graph, a, b) : link(graph, a, b)))
  },
  create(x?: number, y?: number) {
    edit(() => (selected = addNote(graph, x === undefined || y === undefined ? {} : clampToArea(x, y)).id))
    byId<HTMLInputElement>('note-title').select()
  },
}

const view = createGraphView(byId<SVGSVGElement>('graph'), {
  ...actions,
  move(id, x, y) {
    const note = graph.notes.get(id)
    if (note) edit(() => Object.assign(note, clampToArea(x, y)))
  },
})

const editor = createEditor({
  ...actions,
  edit(id, fields) {
    const note = graph.notes.get(id)
    if (note) edit(() => Object.assign(note, fields))
  },
  remove(id) {
    edit(() => {
      removeNote(graph, id)
      selected = undefined
    })
  },
})

function render(): void {
  if (selected !== undefined && !graph.notes.has(selected)) selected = undefined
  view.render(graph, selected)
  editor.render(graph, selected)
  byId('graph-counts').textContent =
    `${graph.notes.size} notes · ${[...graph.links.values()].reduce((sum, set) => sum + set.size, 0) / 2} links`
}

document.querySelector(`.tier-switch [data-tier="${tier ?? 'auto'}"]`)?.setAttribute('aria-current', 'page')
byId('new-note').addEventListener('click', () => actions.create())
addEventListener('pagehide', () => persistence.flush())
createStressPanel(client)
render()

async function start(): Promise<void> {
  try {
    storagePanel.info(await client.info())
  } catch (error) {
    storagePanel.failed(
      `The storage worker is not available: ${error instanceof Error ? error.message : String(error)}`,
    )
    return
  }
  // A file that cannot be read is reported in the storage card; the sample stands in for it.
  graph = (await persistence.load().catch(() => undefined)) ?? sampleGraph()
  render()
  app.dataset.ready = 'true'
}

void start()
