import assert from 'node:assert/strict';
import { windowEnd, windowStart, type LineLengths } from '../../../src/core/completion/documentWindow';

function linesOf(text: string): LineLengths & { lines: string[] } {
  const lines = text.split('\n');
  return { lines, lineCount: lines.length, lineLength: (line) => lines[line]!.length };
}

describe('completion document window', () => {
  it('takes whole lines before and after the cursor within the budgets', () => {
    const doc = linesOf(Array.from({ length: 2000 }, (_, i) => `const value${i} = ${i};`).join('\n'));
    const cursor = { line: 1000, character: 5 };
    const start = windowStart(doc, cursor, 200);
    const end = windowEnd(doc, cursor, 100);
    assert.equal(start.character, 0);
    assert.ok(cursor.line - start.line >= 5 && cursor.line - start.line <= 12, `starts ${cursor.line - start.line} lines up`);
    assert.equal(end.character, doc.lineLength(end.line), 'ends at a line end');
    assert.ok(end.line - cursor.line >= 2 && end.line - cursor.line <= 6);
  });

  it('cuts inside a single very long line rather than reading all of it', () => {
    const doc = linesOf(`${'x'.repeat(1_000_000)}\nnext`);
    assert.deepEqual(windowStart(doc, { line: 0, character: 900_000 }, 6000), { line: 0, character: 894_000 });
    assert.deepEqual(windowEnd(doc, { line: 0, character: 10 }, 2000), { line: 0, character: 2010 });
  });

  it('stops at the start and end of the document', () => {
    const doc = linesOf('a\nb\nc');
    assert.deepEqual(windowStart(doc, { line: 2, character: 1 }, 10_000), { line: 0, character: 0 });
    assert.deepEqual(windowEnd(doc, { line: 0, character: 0 }, 10_000), { line: 2, character: 1 });
  });
});
