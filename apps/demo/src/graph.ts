/** A note: a node of the graph, placed on the canvas at (x, y). */
export interface Note {
  id: number
  title: string
  text: string
  x: number
  y: number
}

/** The whole state the demo saves: notes and the undirected links between them. */
export interface Graph {
  nextId: number
  notes: Map<number, Note>
  /** Adjacency, kept symmetric: links.get(a) has b exactly when links.get(b) has a. */
  links: Map<number, Set<number>>
}

/** The canvas the notes live on, in SVG user units. */
export const AREA = { width: 960, height: 560 }

export const emptyGraph = (): Graph => ({ nextId: 1, notes: new Map(), links: new Map() })

export function addNote(graph: Graph, fields: Partial<Omit<Note, 'id'>> = {}): Note {
  const note: Note = { title: 'Untitled', text: '', ...freeSpot(graph), ...fields, id: graph.nextId++ }
  graph.notes.set(note.id, note)
  graph.links.set(note.id, new Set())
  return note
}

export function removeNote(graph: Graph, id: number): void {
  for (const other of graph.links.get(id) ?? []) graph.links.get(other)?.delete(id)
  graph.links.delete(id)
  graph.notes.delete(id)
}

export function link(graph: Graph, a: number, b: number): void {
  if (a === b || !graph.notes.has(a) || !graph.notes.has(b)) return
  graph.links.get(a)?.add(b)
  graph.links.get(b)?.add(a)
}

export function unlink(graph: Graph, a: number, b: number): void {
  graph.links.get(a)?.delete(b)
  graph.links.get(b)?.delete(a)
}

export const linked = (graph: Graph, a: number, b: number): boolean => graph.links.get(a)?.has(b) ?? false

/** Each link once, as [smaller id, larger id]. */
export function* edges(graph: Graph): Generator<[number, number]> {
  for (const [a, others] of graph.links) for (const b of others) if (a < b) yield [a, b]
}

export const clampToArea = (x: number, y: number) => ({
  x: Math.round(Math.min(AREA.width - 70, Math.max(70, x))),
  y: Math.round(Math.min(AREA.height - 30, Math.max(30, y))),
})

/** The first point on a spiral out from the centre that keeps clear of every note. */
function freeSpot(graph: Graph): { x: number; y: number } {
  const notes = [...graph.notes.values()]
  for (let step = 0; step < 400; step++) {
    const angle = step * 2.39996 // the golden angle spreads the tries evenly
    const radius = 26 * Math.sqrt(step)
    const spot = clampToArea(
      AREA.width / 2 + radius * Math.cos(angle) * 1.6,
      AREA.height / 2 + radius * Math.sin(angle),
    )
    if (notes.every((note) => Math.abs(note.x - spot.x) > 150 || Math.abs(note.y - spot.y) > 60)) return spot
  }
  return clampToArea(AREA.width / 2, AREA.height / 2)
}

/** What a first visit shows: a few notes about the demo itself. */
export function sampleGraph(): Graph {
  const graph = emptyGraph()
  const hub = addNote(graph, {
    title: 'Stowage',
    text: 'This graph is one file, graph.bin: encoded to compact binary, compressed, and saved from a Web Worker 300 ms after your last edit.',
    x: 480,
    y: 270,
  })
  const spokes = [
    {
      title: 'OPFS sync handles',
      text: 'Tier 1. Synchronous access handles in a dedicated worker; two slots per file, so a crash never tears it.',
      x: 210,
      y: 120,
    },
    {
      title: 'OPFS createWritable',
      text: 'Tier 2. A whole-file replace that the browser swaps in when the writable closes.',
      x: 750,
      y: 120,
    },
    {
      title: 'IndexedDB',
      text: 'Tier 3. One value per file, written in one transaction. Works everywhere.',
      x: 750,
      y: 430,
    },
    {
      title: 'Try it',
      text: 'Edit a note, then open this page in a second tab: it follows every save. Shift-click two notes to link them.',
      x: 210,
      y: 430,
    },
  ]
  for (const spoke of spokes) link(graph, hub.id, addNote(graph, spoke).id)
  return graph
}
