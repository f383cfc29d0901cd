import { unzlibSync, zlibSync } from 'fflate'
import { createReader, createWriter } from './bytes.js'
import { emptyGraph, type Graph } from './graph.js'

const MAGIC = [0x53, 0x47] // "SG": a Stowage graph
const VERSION = 1

/**
 * The graph as compact binary: magic, version, nextId, then the notes in id order, each as
 * (id delta, x, y, title, text, links to notes with larger ids as id deltas). Varints throughout.
 */
export function encodeGraph(graph: Graph): Uint8Array {
  const out = createWriter()
  out.bytes(Uint8Array.of(...MAGIC, VERSION))
  out.uint(graph.nextId)
  const ids = [...graph.notes.keys()].sort((a, b) => a - b)
  out.uint(ids.length)
  let previous = 0
  for (const id of ids) {
    const note = graph.notes.get(id)!
    out.uint(id - previous)
    out.int(note.x)
    out.int(note.y)
    out.string(note.title)
    out.string(note.text)
    const later = [...(graph.links.get(id) ?? [])].filter((other) => other > id).sort((a, b) => a - b)
    out.uint(later.length)
    let from = id
    for (const other of later) {
      out.uint(other - from)
      from = other
    }
    previous = id
  }
  return out.finish()
}

/** The inverse of encodeGraph; throws on anything it did not write. */
export function decodeGraph(bytes: Uint8Array): Graph {
  const input = createReader(bytes)
  for (const expected of [...MAGIC, VERSION]) {
    if (input.byte() !== expected) throw new Error('not a graph file of this version')
  }
  const graph = emptyGraph()
  graph.nextId = input.uint()
  const pending: [number, number][] = []
  let id = 0
  for (let count = input.uint(); count > 0; count--) {
    const delta = input.uint()
    if (delta === 0) throw new Error('note ids are not strictly increasing')
    id += delta
    graph.notes.set(id, { id, x: input.int(), y: input.int(), title: input.string(), text: input.string() })
    graph.links.set(id, new Set())
    let other = id
    for (let links = input.uint(); links > 0; links--) {
      const step = input.uint()
      if (step === 0) throw new Error('a note links to itself')
      other += step
      pending.push([id, other])
    }
  }
  if (!input.done()) throw new Error('trailing bytes after the graph')
  if (id >= graph.nextId) throw new Error('nextId is not above every note id')
  for (const [a, b] of pending) {
    if (!graph.notes.has(b)) throw new Error(`note ${a} links to a missing note ${b}`)
    graph.links.get(a)!.add(b)
    graph.links.get(b)!.add(a)
  }
  return graph
}

/** The bytes to store (zlib-compressed) and the encoded size before compression. */
export function pack(graph: Graph): { bytes: Uint8Array; raw: number } {
  const raw = encodeGraph(graph)
  return { bytes: zlibSync(raw, { level: 6 }), raw: raw.length }
}

export function unpack(bytes: Uint8Array): { graph: Graph; raw: number } {
  const raw = unzlibSync(bytes)
  return { graph: decodeGraph(raw), raw: raw.length }
}
