import { describe, expect, it } from 'vitest'
import { decodeGraph, encodeGraph, pack, unpack } from '../src/codec.ts'
import { addNote, emptyGraph, link, removeNote, sampleGraph, type Graph } from '../src/graph.ts'

const plain = (graph: Graph) => ({
  nextId: graph.nextId,
  notes: [...graph.notes.values()].sort((a, b) => a.id - b.id),
  links: [...graph.links]
    .map(([id, others]) => [id, [...others].sort((a, b) => a - b)])
    .sort((a, b) => Number(a[0]) - Number(b[0])),
})

describe('the graph codec', () => {
  it('round-trips notes, positions, Unicode text and links', () => {
    const graph = sampleGraph()
    const far = addNote(graph, {
      title: 'Ünïcødé 🌿 名前',
      text: 'line one\nline two\u0000 with a NUL',
      x: -5,
      y: 100_000,
    })
    graph.nextId = 2 ** 40
    const last = addNote(graph, { title: '', text: '' })
    link(graph, far.id, last.id)
    link(graph, 1, last.id)
    removeNote(graph, 3)
    expect(plain(decodeGraph(encodeGraph(graph)))).toEqual(plain(graph))
    expect(plain(unpack(pack(graph).bytes).graph)).toEqual(plain(graph))
  })

  it('is compact: an empty graph is a handful of bytes, and the sample packs below its encoded size', () => {
    expect(encodeGraph(emptyGraph()).length).toBe(5)
    const { bytes, raw } = pack(sampleGraph())
    expect(raw).toBe(encodeGraph(sampleGraph()).length)
    expect(bytes.length).toBeLessThan(raw)
  })

  it('refuses bytes it did not write', () => {
    const encoded = encodeGraph(sampleGraph())
    expect(() => decodeGraph(encoded.subarray(0, encoded.length - 1))).toThrow()
    expect(() => decodeGraph(Uint8Array.of(...encoded, 0))).toThrow(/trailing/)
    expect(() => decodeGraph(Uint8Array.of(0x53, 0x47, 9))).toThrow(/version/)
    const packed = pack(sampleGraph()).bytes
    expect(() => unpack(packed.subarray(0, packed.length >> 1))).toThrow()
  })
})
