/** The editor as a keyboard user works it: Quick Open, Go to Line, and the ghost text it shows. */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { completionTrail } from './completionTrail';
import { closeQuickInput, offerInQuickInput, quickInputClosed, shownQuickInput } from './quickInput';
import { timeLeft, UI_TIMEOUT_MS, waitUntil } from './waits';

/** Opens a workspace file through Quick Open and waits until its editor has the keyboard. */
export async function openFile(page: Page, relativePath: string): Promise<Locator> {
  const fileName = path.basename(relativePath);
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.getByText(fileName, { exact: true }) }).first();
  const activeTab = page.locator('.tab.active').filter({ hasText: fileName });
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    await offerInQuickInput(page, 'Control+P', relativePath, row, `Quick Open never offered ${relativePath}.`, timeLeft(deadline));
    try {
      // The row is clicked, not Enter pressed: focus taken late (a walkthrough or webview that focuses itself
      // once drawn) closes Quick Open between the row showing and the pick, and Enter then goes to whatever
      // took the focus. A click on a row gone away fails, and Quick Open is offered again.
      await row.click({ timeout: timeLeft(deadline, 5_000) });
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: timeLeft(deadline, 5_000) });
      await activeTab.waitFor({ state: 'visible', timeout: timeLeft(deadline, 10_000) });
      break;
    } catch (error) {
      if (Date.now() >= deadline) throw new Error(`Quick Open did not open ${relativePath}.`, { cause: error });
      await closeQuickInput(page);
    }
  }
  const editor = page.locator('[id="workbench.parts.editor"] .monaco-editor.focused');
  await editor.waitFor({ state: 'visible' });
  return editor;
}

/** The inline suggestion (ghost text) the focused editor shows, once one appears. */
export async function ghostText(page: Page): Promise<string> {
  const ghost = ghostTextDecorations(page);
  await ghost.first().waitFor({ state: 'visible' });
  return (await ghost.allInnerTexts()).join('');
}

/** The focused editor's ghost-text pieces; none while no inline suggestion shows. */
export function ghostTextDecorations(page: Page): Locator {
  return page.locator('.monaco-editor.focused .ghost-text-decoration, .monaco-editor.focused .ghost-text-decoration-preview');
}

/**
 * Waits until the focused editor shows exactly `expected` as ghost text. Timed out, the error says why none came as
 * far as Switchboard and the fakes know (see completionTrail).
 */
export async function waitForGhostText(page: Page, expected: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  let shown = '';
  try {
    await waitUntil(
      async () => {
        shown = (await ghostTextDecorations(page).allInnerTexts()).join('').replace(/\u00a0/g, ' ');
        return shown === expected;
      },
      () => `ghost text "${expected}" (shown: "${shown}")`,
      timeoutMs,
    );
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const trail = await completionTrail(page);
    throw new Error(`${error.message}\n${trail}`, { cause: error });
  }
}

/** Moves the focused editor's cursor to the end of a line (1-based), through Go to Line as a keyboard user would. */
export async function goToLineEnd(page: Page, line: number): Promise<void> {
  await goToPosition(page, line);
  await page.keyboard.press('End');
  await page.locator('.statusbar-item[id="status.editor.selection"]').filter({ hasText: `Ln ${line},` }).waitFor({ state: 'visible' });
}

/** Moves the focused editor's cursor to a line and column (1-based; without a column, the line's start) through Go to Line. */
export async function goToPosition(page: Page, line: number, column?: number): Promise<void> {
  const input = shownQuickInput(page).locator('input.input');
  await page.keyboard.press('Control+G');
  await input.waitFor({ state: 'visible' });
  await input.fill(column === undefined ? `:${line}` : `:${line}:${column}`);
  await page.keyboard.press('Enter');
  await quickInputClosed(page);
  if (column !== undefined) {
    await page.locator('.statusbar-item[id="status.editor.selection"]').filter({ hasText: new RegExp(`Ln ${line}, Col ${column}(?!\\d)`) }).waitFor({ state: 'visible' });
  }
}

/**
 * The text the active editor group's editor shows, line by line, as rendered
 * (only the lines in view; ghost text included, so read files from disk when it matters).
 */
export async function visibleEditorText(page: Page): Promise<string> {
  const lines = page.locator('[id="workbench.parts.editor"] .editor-group-container.active .monaco-editor .view-lines');
  await lines.first().waitFor({ state: 'visible' });
  return lines.first().evaluate((element) =>
    Array.from(element.querySelectorAll<HTMLElement>('.view-line'))
      // Monaco reuses line nodes, so DOM order need not be line order; their top offset is.
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

/**
 * The active editor's visible lines as the document has them, however the editor wraps them, each with its line
 * number: a wrapped line's continuation rows have no number in the gutter, and are joined to the row above without
 * the indent the wrap adds (a continuation row at the top, whose line starts above, is left out). `wrappedRows`
 * counts those rows, and `overflowing` the rows wider than the editor (which a reader would scroll sideways to read).
 */
export async function visibleDocumentLines(page: Page): Promise<{ lines: [number, string][]; wrappedRows: number; overflowing: number }> {
  const editor = page.locator('[id="workbench.parts.editor"] .editor-group-container.active .monaco-editor').first();
  await editor.locator('.view-lines').waitFor({ state: 'visible' });
  // No named functions inside: the page runs this as it is, without the helpers the test's compiler adds for names.
  return editor.evaluate((element) => {
    const numbered = new Map<number, string>();
    for (const number of Array.from(element.querySelectorAll<HTMLElement>('.margin-view-overlays .line-numbers'))) {
      numbered.set(Math.round(parseFloat(number.style.top || (number.parentElement as HTMLElement).style.top)), (number.textContent ?? '').trim());
    }
    const visible = element.querySelector<HTMLElement>('.overflow-guard')!.getBoundingClientRect().right;
    const rows = Array.from(element.querySelectorAll<HTMLElement>('.view-lines .view-line')).sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    const lines: [number, string][] = [];
    let wrappedRows = 0;
    let overflowing = 0;
    for (const row of rows) {
      const text = (row.textContent ?? '').replace(/\u00a0/g, ' ');
      const span = row.firstElementChild as HTMLElement | null;
      if (span && span.getBoundingClientRect().right > visible + 1) overflowing += 1;
      const number = Number(numbered.get(Math.round(parseFloat(row.style.top))) || NaN);
      if (Number.isInteger(number)) lines.push([number, text]);
      else {
        wrappedRows += 1;
        const last = lines[lines.length - 1];
        if (last) last[1] += text.replace(/^\s+/, '');
      }
    }
    return { lines, wrappedRows, overflowing };
  });
}

/** Waits until the active editor shows text matching `expected`, and returns it. */
export async function waitForEditorText(page: Page, expected: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
  let text = '';
  await waitUntil(
    async () => {
      text = await visibleEditorText(page).catch(() => '');
      return expected.test(text);
    },
    () => `the editor to show ${expected} (it shows: ${JSON.stringify(text.slice(0, 500))})`,
    timeoutMs,
  );
  return text;
}

/** Keeps VS Code's own suggest list from taking Tab from ghost text or covering it. */
export const QUIET_EDITOR_SETTINGS = {
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
} as const;
