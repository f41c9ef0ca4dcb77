import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { DocumentStrings, type LineRangeText } from '../../../src/core/completion/documentStrings';
import type { TextPosition } from '../../../src/core/completion/documentWindow';
import { stringAtCursor } from '../../../src/core/completion/stringAtCursor';

/** A document over a string, read by ranges as the editor reads one; counts the characters read. */
class TextDocument implements LineRangeText {
  charsRead = 0;
  private lines: string[];

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  get lineCount(): number {
    return this.lines.length;
  }

  getText(start: TextPosition, end: TextPosition): string {
    const text = this.lines.slice(start.line, end.line + 1).join('\n');
    const from = start.character;
    const to = text.length - ((this.lines[end.line] ?? '').length - end.character);
    const part = text.slice(from, to);
    this.charsRead += part.length;
    return part;
  }

  /** Replaces line `line` (zero-based) with `text`, which may hold line breaks. */
  replaceLine(line: number, text: string): void {
    this.lines.splice(line, 1, ...text.split('\n'));
  }
}

const uri = 'file:///ws/report.py';
/** 39 characters a line with its line break: a docstring of 1,000 such lines runs for 39,000 characters. */
const prose = (count: number) => Array.from({ length: count }, (_, i) => `    line ${String(i).padStart(4, '0')} of the long explanation.`).join('\n');

describe('what is open at a line of a document, read from its start', () => {
  it('knows a docstring opened some 35,000 characters above the line, and that one closed above it is closed', () => {
    const document = new TextDocument(`def report(rows):\n    """Sums the rows.\n\n${prose(1000)}\n    """\n    return sum(rows)\n`);
    const strings = new DocumentStrings();
    assert.deepEqual(strings.openAt(uri, 'python', document, 900), { quote: '"""', templates: [], comment: false });
    assert.equal(strings.openAt(uri, 'python', document, 1004)?.quote, '', 'the line after the closing quotes');
    assert.equal(strings.openAt(uri, 'python', document, 1)?.quote, '', 'the docstring’s own line starts in code');
  });

  it('reads again below an edit, and only there', () => {
    const document = new TextDocument(`def report(rows):\n    """Sums the rows.\n\n${prose(1000)}\n    """\n    return sum(rows)\n`);
    const strings = new DocumentStrings();
    assert.equal(strings.openAt(uri, 'python', document, 900)?.quote, '"""');
    // The docstring closes on its first line now: line 900 is code.
    document.replaceLine(1, '    """Sums the rows."""');
    strings.edited(uri, 1);
    document.charsRead = 0;
    assert.equal(strings.openAt(uri, 'python', document, 900)?.quote, '');
    // Typing at line 900 leaves what was read above it: the next request reads at most the lines since the last state kept.
    strings.edited(uri, 900);
    document.charsRead = 0;
    assert.equal(strings.openAt(uri, 'python', document, 950)?.quote, '');
    assert.ok(document.charsRead <= 250 * 45, `read ${document.charsRead} characters`);
  });

  it('knows a template literal and a block comment of TypeScript, with code inside ${…}', () => {
    const html = Array.from({ length: 600 }, (_, i) => `  <li class="row">{${i}}</li>`).join('\n');
    const document = new TextDocument(`const page = \`<ul>\n${html}\n\${rows.map((row) => {\n  return row;\n/* a comment\n${html}\n*/`);
    const strings = new DocumentStrings();
    assert.deepEqual(strings.openAt(uri, 'typescript', document, 500)?.templates, [-1]);
    assert.deepEqual(strings.openAt(uri, 'typescript', document, 603), { quote: '', templates: [1], comment: false }, 'inside ${…}, in the arrow function’s braces');
    assert.equal(strings.openAt(uri, 'typescript', document, 1000)?.comment, true);
  });

  it('reads a long document a bounded piece per request, and knows nothing until it has read that far', () => {
    const document = new TextDocument(`x = """\n${prose(60_000)}\n`);
    const strings = new DocumentStrings();
    let requests = 0;
    let open;
    do {
      document.charsRead = 0;
      open = strings.openAt(uri, 'python', document, 59_000);
      requests++;
      assert.ok(document.charsRead <= 270_000, `request ${requests} read ${document.charsRead} characters`);
    } while (open === undefined && requests < 50);
    assert.ok(requests > 1, 'more than one request');
    assert.equal(open?.quote, '"""');
  });

  it('reads no document in a language whose strings it has no rules for', () => {
    assert.equal(new DocumentStrings().openAt(uri, 'ruby', new TextDocument('x = """\n\n'), 1), undefined);
  });

  it('hands the state to the cursor’s string: a prefix that starts inside a docstring is the docstring’s text', () => {
    const window = `${prose(3)}\n\n    Returns:`;
    assert.equal(stringAtCursor(window, 'python'), undefined, 'read alone, the window starts in code');
    assert.deepEqual(stringAtCursor(window, 'python', { quote: '"""', templates: [], comment: false }), { verbatim: false });
    assert.deepEqual(stringAtCursor('  <li>{row}</li>\n', 'typescript', { quote: '', templates: [-1], comment: false }), { verbatim: true });
    assert.equal(stringAtCursor('  <li>{row}</li>`;\nif (x) {', 'typescript', { quote: '', templates: [-1], comment: false }), undefined);
  });

  it('knows what is open where the text read starts inside a very long line', () => {
    // One line of 20,000 characters: a template literal opened at its start, the window starting 14,000 characters in.
    const cells = Array.from({ length: 1000 }, (_, i) => `<td>${String(i).padStart(12, '0')}</td>`).join('');
    const document = new TextDocument(`export const table = \`<table>${cells}`);
    const strings = new DocumentStrings();
    const start = { line: 0, character: 14_000 };
    assert.deepEqual(strings.openAtPosition(uri, 'typescript', document, start)?.templates, [-1]);
    assert.deepEqual(stringAtCursor(document.getText(start, { line: 0, character: 20_000 }), 'typescript', strings.openAtPosition(uri, 'typescript', document, start)), {
      verbatim: true,
    });
    // Inside a one-line string it cannot say (the state is not one a line start could have): nothing, as before.
    const quoted = new TextDocument(`const s = "${'x'.repeat(20_000)}";`);
    assert.equal(strings.openAtPosition('file:///ws/q.ts', 'typescript', quoted, { line: 0, character: 14_000 }), undefined);
    // A line start is what `openAt` says.
    assert.deepEqual(strings.openAtPosition(uri, 'typescript', document, { line: 0, character: 0 }), strings.openAt(uri, 'typescript', document, 0));
  });
});

