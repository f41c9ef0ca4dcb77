/**
 * Builds the panel's own elements. Model output never passes through here:
 * it goes through markdown.ts and DOMPurify. No `style` attribute is ever set,
 * because the page's CSP has no 'unsafe-inline' for styles.
 */
type AttributeValue = string | boolean | undefined;
type Child = Node | string;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, AttributeValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children);
  return element;
}

export function button(label: string, attributes: Record<string, AttributeValue> = {}): HTMLButtonElement {
  return el('button', { type: 'button', ...attributes }, label);
}
