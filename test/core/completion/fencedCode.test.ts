import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { fenceLanguageOff, fencedCodeAt } from '../../../src/core/completion/fencedCode';
import { languageIdForFence } from '../../../src/core/completion/languageIds';
import { postprocessCompletion } from '../../../src/core/completion/postprocess';

/** `fencedCodeAt` for a document with `¦` at the cursor. */
function fenced(doc: string, languageId = 'markdown') {
  const at = doc.indexOf('¦');
  return fencedCodeAt(languageId, doc.slice(0, at), doc.slice(at + 1));
}

describe('code in a Markdown fence, judged by the fence\'s language', () => {
  it('reads the language from the info string: an id, an alias or an extension, its first word', () => {
    const cases: [info: string, id: string | undefined][] = [
      ['python', 'python'], ['py', 'python'], ['js', 'javascript'], ['ts', 'typescript'], ['tsx', 'typescriptreact'],
      ['rust', 'rust'], ['rs', 'rust'], ['sh', 'shellscript'], ['bash', 'shellscript'], ['console', undefined],
      ['Go', 'go'], ['c++', 'cpp'], ['yml', 'yaml'], ['{r}', 'r'], ['{.python}', 'python'], ['python title="x.py"', 'python'],
      ['', undefined], ['mermaid', undefined], ['constructor', undefined], ['toString', undefined],
    ];
    for (const [info, id] of cases) assert.equal(languageIdForFence(info), id, info);
  });

  it('gives the block\'s lines, from the line after the fence to the line that closes it, in its language', () => {
    const doc = '# Setup\n\nRun:\n\n```python\ndef f(x):¦\n    pass\n```\n\nThen (see `f`):\n';
    assert.deepEqual(fenced(doc), { languageId: 'python', prefix: 'def f(x):', suffix: '\n    pass\n' });
    // A tilde fence closes only at a tilde run at least as long; a longer backtick fence holds a shorter one.
    assert.deepEqual(fenced('~~~~ts\nconst a = ¦\n~~~\n~~~~\nafter\n'), { languageId: 'typescript', prefix: 'const a = ', suffix: '\n~~~\n' });
    assert.deepEqual(fenced('````js\nlet x = ¦\n```\n````\n'), { languageId: 'javascript', prefix: 'let x = ', suffix: '\n```\n' });
    // A fence still open at the end of the text sent: the block runs to there.
    assert.deepEqual(fenced('```rust\nfn main() {¦'), { languageId: 'rust', prefix: 'fn main() {', suffix: '' });
  });

  it('leaves Markdown\'s rules where there is no block, no language, an unknown one, or Markdown itself', () => {
    assert.equal(fenced('```python\nx = 1\n```\nSome ¦\n'), undefined);
    assert.equal(fenced('```\ndef f(x):¦\n```\n'), undefined);
    assert.equal(fenced('```mermaid\ngraph TD¦\n```\n'), undefined);
    assert.equal(fenced('```markdown\n# Title¦\n```\n'), undefined);
    // The cursor on the opening fence's own line is not in the block yet.
    assert.equal(fenced('```pyth¦\n'), undefined);
    // Only a Markdown document's fences are content: Python's own file is read as Python already.
    assert.equal(fenced('```python\ndef f(x):¦\n```\n', 'python'), undefined);
  });

  it('puts a Python body below its header, where Markdown\'s rules glued it on (`def f(x):return x`)', () => {
    const doc = '# T\n\n```python\ndef f(x):¦\n```\n';
    const at = doc.indexOf('¦');
    const block = fenced(doc)!;
    assert.equal(postprocessCompletion('return x', { ...block, multiline: true }), '\n    return x');
    // As Markdown, the same answer read glued on.
    assert.equal(postprocessCompletion('return x', { prefix: doc.slice(0, at), suffix: doc.slice(at + 1), multiline: true, languageId: 'markdown' }), 'return x');
  });

  it('says a block\'s language is off where completion.languages turns it off, as for a file of that language', () => {
    const off = (doc: string, languages: Record<string, boolean>, languageId = 'markdown') => fenceLanguageOff(languages, languageId, doc.slice(0, doc.indexOf('¦')));
    const readme = '# Use\n\n```python\ntotal = ¦\n```\n';
    assert.equal(off(readme, { markdown: true, python: false }), 'python');
    assert.equal(off(readme, { markdown: true, '*': false }), 'python', '`*` decides for a language with no entry of its own, as for a file');
    assert.equal(off(readme, { markdown: true, python: true, '*': false }), undefined);
    assert.equal(off(readme, { markdown: true }), undefined);
    // Outside a block, in a block with no language or one the rules do not know, and outside Markdown: the document's language alone.
    assert.equal(off('```python\nx = 1\n```\nSome ¦\n', { python: false }), undefined);
    assert.equal(off('```\ntotal = ¦\n', { python: false, '*': false }), undefined);
    assert.equal(off('```mermaid\ngraph ¦\n', { '*': false }), undefined);
    assert.equal(off(readme, { python: false }, 'python'), undefined);
    // A ```text block is plain text, off by the defaults as a .txt file is.
    assert.equal(off('```text\nOutput: ¦\n', { markdown: true, plaintext: false }), 'plaintext');
  });
});
