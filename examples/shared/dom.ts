/**
 * Building DOM and SVG nodes for the demo pages without `innerHTML`: text is always set
 * as text (customer names never become markup) and no `style` attribute is ever
 * written, so the pages run under `style-src 'self'` and `script-src 'self'`.
 */

/** Attribute values; `false`, `null` and `undefined` leave the attribute out. */
export type AttributeValue = string | number | boolean | null | undefined;
/** Children; `false`, `null` and `undefined` are skipped so conditionals read well. */
export type Child = Node | string | number | false | null | undefined | readonly Child[];

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    if (Array.isArray(child)) append(parent, child as readonly Child[]);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

function setAttributes(element: Element, attributes: Readonly<Record<string, AttributeValue>>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'style') throw new Error('style attributes are blocked by the pages\' CSP; use a class');
    element.setAttribute(name, value === true ? '' : String(value));
  }
}

/** An HTML element with attributes and children. */
export function html<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, AttributeValue>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

const svgNamespace = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (presentation attributes such as `fill` are allowed by CSP). */
export function svg(tag: string, attributes: Readonly<Record<string, AttributeValue>> = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(svgNamespace, tag) as SVGElement;
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

/** Replaces the children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Looks up an element that the page's HTML must contain. */
export function required<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`the page has no ${selector}`);
  return element;
}

/** Formats money in US dollars (CDNOW's currency). */
export function formatMoney(amount: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount);
}

/** Formats money without cents, for totals: "$100,408". */
export function formatWholeMoney(amount: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(amount);
}

/** Formats a count with thousands separators: "1,000". */
export function formatCount(count: number): string {
  return new Intl.NumberFormat('en-US').format(count);
}

/** Formats a date (ms or ISO string) as e.g. "12 Mar 2026". */
export function formatDate(value: number | string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(value));
}

/** Formats a date and time as e.g. "12 Mar 2026, 14:05". */
export function formatDateTime(value: number | string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(value));
}
