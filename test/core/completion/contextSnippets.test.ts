import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { SnippetCollector, type SnippetDocument } from '../../../src/core/completion/contextSnippets';
import { fakeKeys } from '../../fakes/fakeKeys';

function filler(count: number, topic: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`export const ${topic}Setting${i} = read${topic}(${i});`);
  return lines;
}

const invoiceCode = [
  'export function invoiceTotal(invoice: Invoice): number {',
  '  const subtotal = invoice.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);',
  '  const discount = applyDiscount(subtotal, invoice.customer.discountRate);',
  '  return roundCents(subtotal - discount + taxOf(invoice));',
  '}',
];

/** An open document whose reads are counted, as the adapter would pass it. */
function document(uri: string, lines: string[], languageId = 'typescript'): SnippetDocument & { reads: number; bump(): void } {
  let version = 1;
  const doc = {
    uri,
    relativePath: uri.replace('file:///ws/', ''),
    languageId,
    reads: 0,
    version: () => version,
    getText: () => {
      doc.reads++;
      return lines.join('\n');
    },
    bump: () => {
      version++;
    },
  };
  return doc;
}

const cursorWindow = [
  'function printInvoice(invoice: Invoice) {',
  '  const subtotal = invoice.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);',
  '  const total = roundCents(subtotal - applyDiscount(subtotal, invoice.customer.discountRate));',
].join('\n');

describe('context snippets', () => {
  it('prefers the window of another file that shares the most identifiers with the cursor', () => {
    const collector = new SnippetCollector();
    const billing = document('file:///ws/src/billing.ts', [...filler(80, 'Theme'), ...invoiceCode, ...filler(80, 'Locale')]);
    const unrelated = document('file:///ws/src/theme.ts', filler(120, 'Color'));
    collector.noteOpenDocument(billing);
    collector.noteOpenDocument(unrelated);

    const snippets = collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000);
    const best = snippets[0];
    assert.ok(best, 'a snippet is found');
    assert.equal(best.path, 'src/billing.ts');
    assert.ok(best.text.includes('export function invoiceTotal(invoice: Invoice): number {'));
    assert.ok(best.score > 0.1);
    assert.ok(snippets.every((snippet) => snippet.path !== 'src/theme.ts'), 'a file with nothing in common is not offered');
  });

  it('keeps the total snippet text within the budget, cutting the last one at a line', () => {
    const collector = new SnippetCollector();
    collector.noteOpenDocument(document('file:///ws/src/billing.ts', [...invoiceCode, ...invoiceCode, ...invoiceCode, ...invoiceCode]));
    collector.noteOpenDocument(document('file:///ws/src/billing2.ts', [...invoiceCode, ...filler(40, 'Invoice')]));
    const budget = 1_000;
    const snippets = collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', budget);
    const used = snippets.reduce((sum, snippet) => sum + snippet.text.length, 0);
    assert.ok(snippets.length >= 1);
    assert.ok(used <= budget, `snippets use ${used} chars of a ${budget} budget`);
    assert.ok(snippets.every((snippet) => snippet.text.startsWith('export function invoiceTotal')), 'cut at line boundaries');
    assert.equal(collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 0).length, 0);
  });

  it('still takes a short window that fits what a long one left of the budget, on every request alike', () => {
    const collector = new SnippetCollector({ windowLines: 30, windowStride: 15 });
    const long = [...invoiceCode, ...invoiceCode, ...invoiceCode, ...invoiceCode];
    collector.noteOpenDocument(document('file:///ws/src/short.ts', ['const due = roundCents(invoice.lines.length);']));
    collector.noteOpenDocument(document('file:///ws/src/wide.ts', [...invoiceCode, ...filler(25, 'Tax')]));
    collector.noteOpenDocument(document('file:///ws/src/long.ts', long));
    // Less than a partial snippet's minimum is left after the long window: the wide one cannot be cut to fit, the short one fits.
    const budget = long.join('\n').length + 100;
    const first = collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', budget);
    assert.deepEqual(first.map((snippet) => snippet.path), ['src/long.ts', 'src/short.ts']);
    assert.deepEqual(collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', budget), first);
    // With room for the wide window's start, it is cut to fit instead of passed over.
    const roomier = collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', budget + 400);
    assert.deepEqual(roomier.map((snippet) => snippet.path), ['src/long.ts', 'src/wide.ts']);
  });

  it('never offers two overlapping windows of the same file', () => {
    const collector = new SnippetCollector({ windowLines: 30, windowStride: 15 });
    // Lines 20..24: inside both the window at 0..30 and the one at 15..45.
    collector.noteOpenDocument(document('file:///ws/src/billing.ts', [...filler(20, 'Theme'), ...invoiceCode, ...filler(60, 'Locale')]));
    const snippets = collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 20_000);
    const withInvoice = snippets.filter((snippet) => snippet.text.includes('invoiceTotal'));
    assert.equal(withInvoice.length, 1);
  });

  it('skips the current document and documents of other languages', () => {
    const collector = new SnippetCollector();
    collector.noteOpenDocument(document('file:///ws/src/print.ts', invoiceCode));
    collector.noteOpenDocument(document('file:///ws/tools/invoice.py', invoiceCode, 'python'));
    assert.deepEqual(collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000, { languageId: 'typescript' }), []);
    collector.noteOpenDocument(document('file:///ws/src/legacy.js', invoiceCode, 'javascript'));
    const snippets = collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000, { languageId: 'typescript' });
    assert.deepEqual(
      snippets.map((snippet) => snippet.path),
      ['src/legacy.js'],
      'JavaScript counts as the same family as TypeScript',
    );
  });

  it('reads a document once per version', () => {
    const collector = new SnippetCollector();
    const billing = document('file:///ws/src/billing.ts', invoiceCode);
    collector.noteOpenDocument(billing);
    collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000);
    collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000);
    assert.equal(billing.reads, 1);
    billing.bump();
    collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000);
    assert.equal(billing.reads, 2);
  });

  it('forgets the least recently used documents beyond its limit', () => {
    const collector = new SnippetCollector({ maxDocuments: 2 });
    const oldest = document('file:///ws/src/billing.ts', invoiceCode);
    collector.noteOpenDocument(oldest);
    collector.noteOpenDocument(document('file:///ws/src/a.ts', filler(10, 'A')));
    collector.noteOpenDocument(document('file:///ws/src/b.ts', filler(10, 'B')));
    assert.deepEqual(collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000), []);
    assert.equal(oldest.reads, 0);
  });

  it('reads only the first part of a very large document', () => {
    const collector = new SnippetCollector({ maxCharsPerDocument: 5_000 });
    collector.noteOpenDocument(document('file:///ws/src/huge.ts', [...filler(2_000, 'Noise'), ...invoiceCode]));
    assert.deepEqual(collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000), [], 'code past the cap is never read');
  });

  it('offers recently edited places, including far-away ones in the current file', () => {
    const collector = new SnippetCollector();
    collector.recordEdit({ uri: 'file:///ws/src/billing.ts', relativePath: 'src/billing.ts', languageId: 'typescript', line: 40, text: invoiceCode.join('\n') });
    const fromOtherFile = collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000);
    assert.equal(fromOtherFile[0]?.path, 'src/billing.ts');

    const sameFile = new SnippetCollector();
    sameFile.recordEdit({ uri: 'file:///ws/src/print.ts', relativePath: 'src/print.ts', languageId: 'typescript', line: 400, text: invoiceCode.join('\n') });
    assert.equal(sameFile.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000, { line: 20 })[0]?.path, 'src/print.ts');
    assert.deepEqual(sameFile.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000, { line: 395 }), [], 'an edit next to the cursor is already in the prompt');
  });

  it('keeps one edit per place, the latest', () => {
    const collector = new SnippetCollector();
    const edit = { uri: 'file:///ws/src/billing.ts', relativePath: 'src/billing.ts', languageId: 'typescript', line: 10 };
    collector.recordEdit({ ...edit, text: 'const stale = invoiceTotal(invoice);' });
    collector.recordEdit({ ...edit, line: 12, text: invoiceCode.join('\n') });
    const snippets = collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000);
    assert.equal(snippets.length, 1);
    assert.ok(snippets[0]?.text.includes('applyDiscount'));
  });

  it('masks key-shaped strings in other documents and in recent edits, a private-key block across windows included', () => {
    const key = fakeKeys.openai('snippet');
    const token = fakeKeys.github('edit');
    const block = fakeKeys.privateKeyBlock('snippet', 40);
    const collector = new SnippetCollector();
    collector.noteOpenDocument(document('file:///ws/src/billing.ts', [...invoiceCode, `const paymentKey = "${key}";`, 'const pem = `', ...block.split('\n'), '`;', ...invoiceCode]));
    collector.recordEdit({ uri: 'file:///ws/src/tax.ts', relativePath: 'src/tax.ts', languageId: 'typescript', line: 3, text: `${invoiceCode.join('\n')}\nconst token = "${token}";` });
    const sent = collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 100_000).map((snippet) => snippet.text).join('\n');
    assert.ok(sent.includes('[redacted]'));
    for (const secret of [key, token, ...block.split('\n').slice(1, -1)]) assert.ok(!sent.includes(secret), secret);
  });

  it('leaves out documents and edits the caller excludes, also when they were collected before being excluded', () => {
    const excluded = new Set<string>();
    const collector = new SnippetCollector({}, { isExcluded: (uri) => excluded.has(uri) });
    collector.noteOpenDocument(document('file:///ws/config/.env', invoiceCode));
    collector.recordEdit({ uri: 'file:///ws/config/.env', relativePath: 'config/.env', languageId: 'typescript', line: 1, text: invoiceCode.join('\n') });
    assert.ok(collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000).length > 0);
    excluded.add('file:///ws/config/.env');
    assert.deepEqual(collector.topSnippets(cursorWindow, 'file:///ws/src/print.ts', 4_000), []);
  });
});
