type Child = Node | string | false | undefined
type Attributes = Record<string, string | number | boolean | undefined>

function fill<T extends Element>(element: T, attributes: Attributes, children: Child[]): T {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children) if (child !== false && child !== undefined) element.append(child)
  return element
}

/** An HTML element with attributes and children. */
export const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]) =>
  fill(document.createElement(tag), attributes, children)

/** An SVG element with attributes and children. */
export const s = <K extends keyof SVGElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]) =>
  fill(document.createElementNS('http://www.w3.org/2000/svg', tag), attributes, children)

/** The element with this id, which index.html is known to hold. */
export function byId<T extends Element = HTMLElement>(id: string): T {
  const element: Element | null = document.getElementById(id)
  if (!element) throw new Error(`index.html has no #${id}`)
  return element as T
}
