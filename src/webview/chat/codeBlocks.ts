/**
 * The toolbar on each rendered code block. Buttons carry only a data-action;
 * one delegated listener on the transcript handles them all, so re-rendering
 * the streaming tail never leaves stale listeners behind.
 */
import { button, el } from '../dom';

export type CodeAction = 'copy' | 'insert';

export function decorateCodeBlocks(root: DocumentFragment): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    if (!code) continue;
    const language = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1] ?? '';
    const placeholder = document.createComment('');
    pre.replaceWith(placeholder);
    placeholder.replaceWith(codeBlock(language, pre));
  }
}

/** A code block with its toolbar: `pre` must hold one `code` element. */
export function codeBlock(language: string, pre: HTMLPreElement): HTMLElement {
  const toolbar = el(
    'div',
    { class: 'code-toolbar' },
    el('span', { class: 'code-language' }, language),
    button('Copy', { class: 'code-action', 'data-action': 'copy', 'aria-label': 'Copy code' }),
    button('Insert at cursor', { class: 'code-action', 'data-action': 'insert', 'aria-label': 'Insert code at cursor' }),
  );
  return el('div', { class: 'code-block' }, toolbar, pre);
}

/** The action and code of a toolbar button that was clicked, if `target` is one. */
export function codeActionAt(target: EventTarget | null): { action: CodeAction; code: string; button: HTMLButtonElement } | undefined {
  if (!(target instanceof Element)) return undefined;
  const actionButton = target.closest<HTMLButtonElement>('button.code-action');
  const action = actionButton?.dataset.action;
  if (!actionButton || (action !== 'copy' && action !== 'insert')) return undefined;
  const code = actionButton.closest('.code-block')?.querySelector('pre code')?.textContent ?? '';
  return { action, code, button: actionButton };
}

/** Briefly relabels the button so the user sees the copy happened. */
export function acknowledge(actionButton: HTMLButtonElement, label: string): void {
  const original = actionButton.dataset.label ?? actionButton.textContent ?? '';
  actionButton.dataset.label = original;
  actionButton.textContent = label;
  setTimeout(() => {
    actionButton.textContent = original;
  }, 1500);
}
