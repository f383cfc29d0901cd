import { s } from './dom.js'
import { AREA, edges, type Graph } from './graph.js'

export interface GraphViewActions {
  select(id: number | undefined): void
  move(id: number, x: number, y: number): void
  toggleLink(a: number, b: number): void
  create(x: number, y: number): void
}

const MAX_LABEL = 24

/**
 * Draws the graph into `svg` and turns pointer gestures into actions: click selects, drag moves,
 * shift-click links or unlinks the selected note, double-click on the background adds a note.
 */
export function createGraphView(svg: SVGSVGElement, actions: GraphViewActions) {
  svg.setAttribute('viewBox', `0 0 ${AREA.width} ${AREA.height}`)
  const edgeLayer = s('g', { class: 'edges' })
  const noteLayer = s('g', { class: 'notes' })
  const hint = s(
    'text',
    { class: 'empty-hint', x: AREA.width / 2, y: AREA.height / 2, 'text-anchor': 'middle' },
    'Double-click anywhere to add a note',
  )
  svg.append(edgeLayer, noteLayer)

  let shown: { graph: Graph; selected: number | undefined } | undefined
  let drag: { id: number; dx: number; dy: number } | undefined

  function toArea(event: MouseEvent): DOMPoint {
    return new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM()?.inverse())
  }

  const noteOf = (event: Event): number | undefined => {
    const element = (event.target as Element).closest<SVGGElement>('[data-note]')
    return element ? Number(element.dataset.note) : undefined
  }

  svg.addEventListener('pointerdown', (event) => {
    const id = noteOf(event)
    const selected = shown?.selected
    if (id === undefined) return actions.select(undefined)
    if (event.shiftKey && selected !== undefined && selected !== id) return actions.toggleLink(selected, id)
    actions.select(id)
    const note = shown?.graph.notes.get(id)
    if (!note) return
    const at = toArea(event)
    drag = { id, dx: note.x - at.x, dy: note.y - at.y }
    svg.setPointerCapture(event.pointerId)
  })

  svg.addEventListener('pointermove', (event) => {
    if (!drag) return
    const at = toArea(event)
    actions.move(drag.id, at.x + drag.dx, at.y + drag.dy)
  })

  const stop = () => (drag = undefined)
  svg.addEventListener('pointerup', stop)
  svg.addEventListener('pointercancel', stop)

  svg.addEventListener('dblclick', (event) => {
    if (noteOf(event) !== undefined) return
    const at = toArea(event)
    actions.create(at.x, at.y)
  })

  svg.addEventListener('keydown', (event) => {
    const id = noteOf(event)
    if (id !== undefined && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault()
      actions.select(id)
    }
  })

  return {
    render(graph: Graph, selected: number | undefined): void {
      shown = { graph, selected }
      const neighbours = selected === undefined ? new Set<number>() : (graph.links.get(selected) ?? new Set<number>())
      edgeLayer.replaceChildren(
        ...[...edges(graph)].map(([a, b]) => {
          const from = graph.notes.get(a)!
          const to = graph.notes.get(b)!
          const near = a === selected || b === selected
          return s('line', { x1: from.x, y1: from.y, x2: to.x, y2: to.y, class: near ? 'edge near' : 'edge' })
        }),
      )
      noteLayer.replaceChildren(
        ...[...graph.notes.values()].map((note) => {
          const label =
            note.title.length > MAX_LABEL ? `${note.title.slice(0, MAX_LABEL - 1)}…` : note.title || 'Untitled'
          const width = Math.min(210, Math.max(84, 24 + label.length * 7.4))
          const state = note.id === selected ? 'selected' : neighbours.has(note.id) ? 'neighbour' : ''
          return s(
            'g',
            {
              class: `note ${state}`,
              'data-note': note.id,
              transform: `translate(${note.x} ${note.y})`,
              tabindex: 0,
              role: 'button',
              'aria-label': note.title,
            },
            s('title', {}, note.title),
            s('rect', { x: -width / 2, y: -17, width, height: 34, rx: 17 }),
            s('text', { 'text-anchor': 'middle', dy: '0.35em' }, label),
          )
        }),
      )
      if (graph.notes.size === 0) svg.append(hint)
      else hint.remove()
    },
  }
}
