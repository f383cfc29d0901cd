import { byId, h } from './dom.js'
import type { Graph, Note } from './graph.js'

export interface EditorActions {
  edit(id: number, fields: Partial<Pick<Note, 'title' | 'text'>>): void
  toggleLink(a: number, b: number): void
  select(id: number | undefined): void
  remove(id: number): void
}

/** The side panel that edits the selected note: title, text, links, delete. */
export function createEditor(actions: EditorActions) {
  const empty = byId('editor-empty')
  const form = byId<HTMLFormElement>('editor-form')
  const title = byId<HTMLInputElement>('note-title')
  const text = byId<HTMLTextAreaElement>('note-text')
  const links = byId<HTMLUListElement>('note-links')
  const target = byId<HTMLSelectElement>('link-target')
  const meta = byId('note-meta')
  let selected: number | undefined

  form.addEventListener('submit', (event) => event.preventDefault())
  title.addEventListener('input', () => selected !== undefined && actions.edit(selected, { title: title.value }))
  text.addEventListener('input', () => selected !== undefined && actions.edit(selected, { text: text.value }))
  byId('link-add').addEventListener('click', () => {
    if (selected !== undefined && target.value) actions.toggleLink(selected, Number(target.value))
  })
  byId('note-delete').addEventListener('click', () => selected !== undefined && actions.remove(selected))

  /** Sets a field only when it differs, so the caret of someone typing in it stays put. */
  const show = (field: HTMLInputElement | HTMLTextAreaElement, value: string) => {
    if (field.value !== value) field.value = value
  }

  return {
    render(graph: Graph, id: number | undefined): void {
      const note = id === undefined ? undefined : graph.notes.get(id)
      selected = note?.id
      empty.hidden = Boolean(note)
      form.hidden = !note
      if (!note) return
      show(title, note.title)
      show(text, note.text)
      const neighbours = [...(graph.links.get(note.id) ?? [])].map((other) => graph.notes.get(other)!).sort(byTitle)
      links.replaceChildren(
        ...neighbours.map((other) => {
          const open = h('button', { type: 'button', class: 'chip-label' }, other.title || 'Untitled')
          const drop = h(
            'button',
            { type: 'button', class: 'chip-remove', 'aria-label': `Unlink ${other.title}`, title: 'Unlink' },
            '×',
          )
          open.addEventListener('click', () => actions.select(other.id))
          drop.addEventListener('click', () => actions.toggleLink(note.id, other.id))
          return h('li', { class: 'chip' }, open, drop)
        }),
      )
      if (!neighbours.length) links.append(h('li', { class: 'muted' }, 'No links yet.'))
      const candidates = [...graph.notes.values()]
        .filter((other) => other.id !== note.id && !graph.links.get(note.id)?.has(other.id))
        .sort(byTitle)
      target.replaceChildren(
        h('option', { value: '' }, candidates.length ? 'Link to…' : 'Every note is linked'),
        ...candidates.map((other) => h('option', { value: other.id }, other.title || 'Untitled')),
      )
      target.disabled = !candidates.length
      meta.textContent = `note #${note.id} · ${new TextEncoder().encode(note.text).length} bytes of text`
    },
  }
}

const byTitle = (a: Note, b: Note) => a.title.localeCompare(b.title)
