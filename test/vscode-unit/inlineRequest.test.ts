import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { TextPosition } from '../../src/core/completion/documentWindow';
import { editWindow, headWindowEnd, otherCursorsReadTheSame, readInlineRequest, withCellsAbove, type DocumentText, type SelectedSuggestion } from '../../src/vscode/inlineRequest';

/** A document as VS Code's TextDocument answers the provider: lines without their breaks, text between positions. */
function documentOf(text: string): DocumentText {
  const lines = text.split('\n');
  const offset = ({ line, character }: TextPosition): number =>
    lines.slice(0, line).reduce((sum, each) => sum + each.length + 1, 0) + character;
  return {
    lineCount: lines.length,
    lineLength: (line) => (lines[line] ?? '').length,
    getText: (start, end) => text.slice(offset(start), offset(end)),
  };
}

const chars = { prefixChars: 6_000, suffixChars: 2_000 };

/**
 * VS Code's rule while the suggest widget shows a selected item: an inline item is shown only when
 * it replaces the same range and its text starts with the item's text (see
 * `InlineCompletionContext.selectedCompletionInfo` in vscode.d.ts).
 */
function vscodeWouldShow(item: { start: TextPosition; end: TextPosition; text: string }, selected: SelectedSuggestion): boolean {
  const same = (a: TextPosition, b: TextPosition): boolean => a.line === b.line && a.character === b.character;
  return same(item.start, selected.start) && same(item.end, selected.end) && item.text.startsWith(selected.text) && item.text.length > selected.text.length;
}

describe('inline request: what the provider reads around the cursor', () => {
  const text = 'function show(id) {\n  const el = document.getE\n}\n';
  const cursor = { line: 1, character: 26 };

  it('reads the text either side of the cursor and inserts the ghost text there', () => {
    const read = readInlineRequest(documentOf(text), cursor, chars);
    assert.deepEqual(read, {
      prefix: 'function show(id) {\n  const el = document.getE',
      suffix: '\n}\n',
      replace: { start: cursor, end: cursor, lead: '' },
      start: { line: 0, character: 0 },
    });
    // A window cut above the cursor says where its text starts, for what is open there to be read.
    const cut = readInlineRequest(documentOf(text), cursor, { prefixChars: 30, suffixChars: 10 });
    assert.deepEqual(cut && { prefix: cut.prefix, start: cut.start }, { prefix: '  const el = document.getE', start: { line: 1, character: 0 } });
  });

  it('with a suggestion selected in the suggest widget, completes after it, so VS Code shows the ghost text', () => {
    const selected: SelectedSuggestion = { start: { line: 1, character: 22 }, end: cursor, text: 'getElementById' };
    const read = readInlineRequest(documentOf(text), cursor, chars, selected);
    assert.ok(read);
    assert.equal(read.prefix, 'function show(id) {\n  const el = document.getElementById', 'the model continues the selected item');
    assert.equal(read.suffix, '\n}\n');
    const completion = '(id);';
    assert.ok(vscodeWouldShow({ ...read.replace, text: read.replace.lead + completion }, selected));
    assert.equal(read.replace.lead + completion, 'getElementById(id);');
  });

  it('reads the suffix after the selected item’s range when it replaces text after the cursor too', () => {
    const midWord = 'const el = document.getEById;\n';
    const selected: SelectedSuggestion = { start: { line: 0, character: 20 }, end: { line: 0, character: 28 }, text: 'getElementById' };
    const read = readInlineRequest(documentOf(midWord), { line: 0, character: 24 }, chars, selected);
    assert.ok(read);
    assert.equal(read.prefix, 'const el = document.getElementById');
    assert.equal(read.suffix, ';\n');
    assert.deepEqual(read.replace, { start: selected.start, end: selected.end, lead: 'getElementById' });
  });

  it('reads nothing for a selected item whose range is not around the cursor on its line', () => {
    const elsewhere: SelectedSuggestion = { start: { line: 0, character: 0 }, end: { line: 0, character: 8 }, text: 'function' };
    assert.equal(readInlineRequest(documentOf(text), cursor, chars, elsewhere), undefined);
  });

  it('reads nothing in binary content shown as text', () => {
    assert.equal(readInlineRequest(documentOf('PK\u0003\u0004\u0000\u0000x = '), { line: 0, character: 10 }, chars), undefined);
  });

  it('never starts or ends its window inside an emoji on a very long line', () => {
    const emoji = '\u{1F600}';
    // One minified line; with a 10-character window the cut falls inside an emoji on both sides.
    const line = `x=["${emoji}${emoji}${emoji}${emoji}${emoji}",`;
    const cursorAt = { line: 0, character: line.length };
    const minified = `${line}"${emoji}${emoji}${emoji}${emoji}${emoji}"];`;
    const small = { prefixChars: 9, suffixChars: 4 };
    const read = readInlineRequest(documentOf(minified), cursorAt, small);
    assert.ok(read);
    // A lone surrogate is what JSON.stringify escapes as \uD8xx…\uDFxx; whole emoji pass through as they are.
    assert.doesNotMatch(JSON.stringify(read), /\\ud[89a-f]/i);
    assert.equal(read.prefix, `${emoji}${emoji}${emoji}",`);
    assert.equal(read.suffix, `"${emoji}`);
  });
});

describe('inline request in a notebook: the cells above the cursor’s', () => {
  const cells = (...texts: string[]): DocumentText[] => texts.map(documentOf);

  it('puts the cells above before the cursor’s cell, in the notebook’s order', () => {
    assert.equal(withCellsAbove('df = pd.', cells('data = load()', 'import pandas as pd'), 6_000), 'import pandas as pd\n\ndata = load()\n\ndf = pd.');
  });

  it('keeps the nearest cells whole within the prefix budget, reads the first that does not fit from its end, and stops there', () => {
    const prefix = 'x = ';
    const above = cells('a = 1\nb = 2', 'c = 3\nd = 4\ne = 5', 'import z');
    const budget = prefix.length + 2 + 11 + 2 + 6;
    const read = withCellsAbove(prefix, above, budget);
    assert.equal(read, 'e = 5\n\na = 1\nb = 2\n\nx = ');
    assert.ok(read.length <= budget);
    assert.equal(withCellsAbove(prefix, above, prefix.length + 1), prefix, 'no room for a separator: nothing added');
  });

  it('never adds half a line of a cell whose last line is longer than what is left', () => {
    assert.equal(withCellsAbove('x = ', cells(`y = [${'1, '.repeat(50)}]`), 30), 'x = ');
  });

  it('leaves out blank cells and cells holding binary content', () => {
    assert.equal(withCellsAbove('x = ', cells('', '  \n', 'PK\u0000\u0003', 'import os'), 6_000), 'import os\n\nx = ');
  });
});

describe('what the snippet collector is given to read', () => {
  const code = Array.from({ length: 20 }, (_, i) => `const value${i} = compute(${i});`).join('\n');

  it('an edit: the three lines either side of the edited one', () => {
    const document = documentOf(code);
    const { start, end } = editWindow(document, { line: 10, character: 5 }, 3, 3_000);
    assert.deepEqual(start, { line: 7, character: 0 });
    assert.deepEqual(end, { line: 13, character: document.lineLength(13) });
    assert.equal(document.getText(start, end).split('\n').length, 7);
  });

  it('an edit at the first and last lines stays inside the document', () => {
    const document = documentOf(code);
    assert.deepEqual(editWindow(document, { line: 0, character: 0 }, 3, 3_000).start, { line: 0, character: 0 });
    assert.deepEqual(editWindow(document, { line: 19, character: 3 }, 3, 3_000).end, { line: 19, character: document.lineLength(19) });
  });

  it('an edit in a line of megabytes (a minified bundle): the characters around the edit, not the line', () => {
    const line = 'a=b(c);'.repeat(300_000);
    const document = documentOf(`header\n${line}\nfooter`);
    const { start, end } = editWindow(document, { line: 1, character: 1_000_000 }, 3, 3_000);
    assert.deepEqual(start, { line: 1, character: 1_000_000 - 1_500 });
    assert.deepEqual(end, { line: 1, character: 1_000_000 + 1_500 });
  });

  it('another open document: its first lines, up to the characters the collector keeps', () => {
    const document = documentOf(code);
    assert.deepEqual(headWindowEnd(document, 5, 60_000), { line: 4, character: document.lineLength(4) });
    const oneLine = documentOf(`{"rows": [${'1,'.repeat(5_000_000)}1]}`);
    assert.deepEqual(headWindowEnd(oneLine, 2_000, 60_000), { line: 0, character: 60_000 });
  });
});

describe('inline request: several cursors', () => {
  const text = 'const a = \nconst b = \n  const c = \nconst d = 1;\nconst a = \n';
  const doc = documentOf(text);

  it('asks where every other cursor stands in a line that reads the same before and after it', () => {
    assert.equal(otherCursorsReadTheSame(doc, { line: 0, character: 10 }, []), true, 'one cursor');
    assert.equal(otherCursorsReadTheSame(doc, { line: 0, character: 10 }, [{ line: 4, character: 10 }]), true);
  });

  it('does not ask where another cursor’s line differs before it, in its indentation, or after it', () => {
    assert.equal(otherCursorsReadTheSame(doc, { line: 0, character: 10 }, [{ line: 1, character: 10 }]), false, 'another name before it');
    assert.equal(otherCursorsReadTheSame(doc, { line: 0, character: 10 }, [{ line: 4, character: 10 }, { line: 2, character: 12 }]), false, 'indented');
    assert.equal(otherCursorsReadTheSame(doc, { line: 0, character: 10 }, [{ line: 3, character: 10 }]), false, 'text after it');
    assert.equal(otherCursorsReadTheSame(doc, { line: 0, character: 10 }, [{ line: 0, character: 6 }]), false, 'the same line, elsewhere');
  });
});
