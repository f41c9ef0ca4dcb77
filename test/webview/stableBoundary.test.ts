import assert from 'node:assert/strict';
import { BoundaryScan, findStableBoundary, scanStableBoundary, type BoundaryLimits } from '../../src/webview/chat/stableBoundary';

/** The text after the cut: what is still re-rendered on the next frame. */
function openPart(text: string, from = 0, limits?: BoundaryLimits): string {
  return text.slice(findStableBoundary(text, from, limits));
}

describe('findStableBoundary', () => {
  it('cuts after the last blank line, so finished paragraphs are rendered once', () => {
    assert.equal(openPart('One.\n\nTwo.\n\nThree is stre'), 'Three is stre');
  });

  it('does not cut before the next block has started', () => {
    assert.equal(openPart('One.\n\nTwo.\n\n'), 'Two.\n\n');
  });

  it('never cuts inside an open code fence, even at blank lines', () => {
    const text = 'Intro.\n\n```ts\nconst a = 1;\n\nconst b = 2;\n';
    assert.equal(openPart(text), '```ts\nconst a = 1;\n\nconst b = 2;\n');
  });

  it('cuts after a fence once it has closed', () => {
    const text = '```py\nx = 1\n\ny = 2\n```\n\nAfter the code';
    assert.equal(openPart(text), 'After the code');
  });

  it('needs the same fence character, at least as long, to close a fence', () => {
    const text = '````md\n```\n\ninner\n```\n\nstill inside\n';
    assert.equal(openPart(text), text);
    assert.equal(openPart('~~~\n```\n\nx\n~~~\n\nout'), 'out');
  });

  it('keeps indented continuations with their list item', () => {
    const text = '1. First step\n\n   more about it\n';
    assert.equal(openPart(text), text);
  });

  it('cuts before an ATX heading even without a blank line', () => {
    assert.equal(openPart('Some text\n## Next section\nbody'), '## Next section\nbody');
    assert.equal(openPart('#hashtag is not a heading\n'), '#hashtag is not a heading\n');
  });

  it('starts from a previous cut and never returns less than it', () => {
    const text = 'A.\n\nB.\n\nC';
    const first = findStableBoundary(text, 0);
    assert.equal(findStableBoundary(text, first), first);
    assert.equal(findStableBoundary(text + '.\n\nD', first), text.length + 3);
  });

  it('keeps a loose list whole: an item of the same kind after a blank line continues it', () => {
    assert.equal(openPart('Intro.\n\n- one\n\n- two\n\n- three'), '- one\n\n- two\n\n- three');
    assert.equal(openPart('1. one\n\n2. two\n\n3'), '1. one\n\n2. two\n\n3', 'a half-received item');
    assert.equal(openPart('- one\n\n* other bullet'), '* other bullet');
    assert.equal(openPart('1. one\n\n2) other delimiter'), '2) other delimiter');
    assert.equal(openPart('- one\n\nA paragraph.\n\n- new list'), '- new list');
  });

  it('splits a long tight list between items so it is not re-rendered whole each frame', () => {
    const items = Array.from({ length: 50 }, (_, i) => `- item ${i} ${'x'.repeat(20)}`).join('\n');
    const open = openPart(items, 0, { listChars: 200, anyLineChars: 10_000 });
    assert.ok(open.startsWith('- item 49'), open);
  });

  it('splits a wall of text at a line break as a last resort, but not inside a table', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i} of a very long paragraph`).join('\n');
    assert.ok(openPart(lines, 0, { listChars: 100, anyLineChars: 200 }).startsWith('line 19'));
    const table = ['| a | b |', '|---|---|', ...Array.from({ length: 20 }, (_, i) => `| ${i} | x |`)].join('\n');
    assert.equal(openPart(table, 0, { listChars: 100, anyLineChars: 200 }), table);
  });

  it('makes a code fence a block of its own, reporting it while it is open', () => {
    const text = 'Run this:\n```ts title="a.ts"\nconst a = 1;\n';
    const scan = scanStableBoundary(text, 0);
    assert.equal(text.slice(scan.cut), '```ts title="a.ts"\nconst a = 1;\n');
    assert.deepEqual(scan.openFence, { language: 'ts title="a.ts"', contentStart: text.indexOf('const') });
  });

  it('does not treat a half-received fence line as a fence yet', () => {
    const scan = scanStableBoundary('Run this:\n```t', 0);
    assert.equal(scan.cut, 0);
    assert.equal(scan.openFence, undefined);
  });

  it('cuts right after a fence closes and says where its content ended', () => {
    const text = '```js\na()\nb()\n```\nThen prose';
    const scan = scanStableBoundary(text, 0);
    assert.equal(text.slice(scan.cut), 'Then prose');
    assert.equal(scan.openFence, undefined);
    assert.ok(scan.closedFence);
    assert.equal(text.slice(3 + 'js\n'.length, scan.closedFence.contentEnd), 'a()\nb()');
    assert.equal(scan.closedFence.end, text.indexOf('Then'));
  });

  it('leaves a fence indented inside a list item with its item', () => {
    const text = '1. Step one:\n   ```sh\n   npm test\n';
    const scan = scanStableBoundary(text, 0);
    assert.equal(scan.cut, 0);
    assert.equal(scan.openFence, undefined);
  });
});


describe('BoundaryScan (reading on as the text grows)', () => {
  // Every construct the scan treats apart: fences (closed, open, indented, tilde), lists loose and tight,
  // headings, tables, blank lines, a half-received marker at a chunk's end.
  const TEXTS = [
    'Intro.\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter the code\n\n## Next\nbody\n',
    '- one\n- two\n\n- three after a blank\n\n1. first\n2) other kind\n\nText\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    '````md\n```\n\ninner\n```\n````\n~~~\ncode\n~~~\n    indented\n    ```\n    x\n    ```\n\n```py\nunclosed = True\n',
    `${'word '.repeat(400)}\n${'- item with text\n'.repeat(120)}\n${'line of a wall\n'.repeat(700)}`,
  ];
  const LIMITS = { listChars: 300, anyLineChars: 900 };

  for (const [index, text] of TEXTS.entries()) {
    it(`answers as a fresh scan would at every length, chunk by chunk, also from each cut (text ${index + 1})`, () => {
      for (const chunk of [1, 3, 17]) {
        let scan = new BoundaryScan(0, LIMITS);
        let compared = 0;
        for (let end = Math.min(chunk, text.length); ; end = Math.min(end + chunk, text.length)) {
          const prefix = text.slice(0, end);
          const fresh = scanStableBoundary(prefix, scan.from, LIMITS);
          assert.deepEqual(scan.scan(prefix), fresh, `chunks of ${chunk}, at ${end} from ${scan.from}`);
          compared++;
          // As the streaming renderer does: freeze at each cut, and read on from there.
          if (fresh.cut > scan.from && !fresh.openFence) scan = new BoundaryScan(fresh.cut, LIMITS);
          if (end === text.length) break;
        }
        assert.ok(compared >= text.length / chunk, `compared at every chunk of ${chunk}`);
      }
    });
  }
});
