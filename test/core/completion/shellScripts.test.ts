import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { decideMultiline } from '../../../src/core/completion/multiline';
import { postprocessCompletion } from '../../../src/core/completion/postprocess';
import { cursorIn } from '../../../src/core/completion/stringAtCursor';

/** The ghost text made of a model's `raw` answer in a shell script, `¦` marking the cursor in `doc`. */
function clean(raw: string, doc: string, { nextLine = false, multiline = false } = {}): string | undefined {
  const at = doc.indexOf('¦');
  assert.notEqual(at, -1, 'the case marks the cursor');
  return postprocessCompletion(raw, { prefix: doc.slice(0, at), suffix: doc.slice(at + 1), multiline: multiline || nextLine, languageId: 'shellscript', fim: false, nextLine });
}

/** Whether several lines are asked for at `¦`: after a `case` arm's pattern, yes; after a line of text, no. */
function asksForLines(doc: string): boolean {
  const at = doc.indexOf('¦');
  return decideMultiline(cursorIn(doc.slice(0, at), doc.slice(at + 1), 'shellscript'), 'shellscript', 'auto');
}

describe('ghost text in shell scripts', () => {
  describe('a command continued by backslashes', () => {
    it('indents the lines that go on the command as continuations, one level deeper than its first line', () => {
      const doc = 'run() {\n  docker run \\¦\n}\n';
      // The model writes the continuation from column 0; it goes at the command's indentation plus one level.
      assert.equal(clean('\n--rm \\\nimage', doc, { nextLine: true }), '\n    --rm \\\n    image');
      // At the top level, four spaces where nothing says otherwise.
      assert.equal(clean('\n--rm \\\nimage', 'docker run \\¦\n', { nextLine: true }), '\n    --rm \\\n    image', 'top level');
    });

    it('keeps a continuation line\'s indentation for the lines that go on, and puts the next command back at the command\'s', () => {
      const doc = 'run() {\n  docker run \\\n    --rm \\¦\n}\n';
      assert.equal(clean('\n-v a:b \\\nimage\necho done', doc, { nextLine: true }), '\n    -v a:b \\\n    image\n  echo done');
      // Given at the continuations' indentation, the next command still goes back.
      assert.equal(clean('\n    -v a:b \\\n    image\n    echo done', doc, { nextLine: true }), '\n    -v a:b \\\n    image\n  echo done');
    });

    it('puts the lines after a continued command\'s last line at its first line\'s indentation, not the continuations\'', () => {
      const doc = 'run() {\n  docker run \\\n    --rm \\\n    image¦\n}\n';
      assert.equal(clean('\necho done\nexit 0', doc, { nextLine: true }), '\n  echo done\n  exit 0');
    });

    it('reads an escaped backslash, or one in a comment, as no continuation', () => {
      assert.equal(clean('\necho done', 'run() {\n  echo \\\\¦\n}\n', { nextLine: true }), '\n  echo done');
      assert.equal(clean('\necho done', 'run() {\n  ls # a\\b \\¦\n}\n', { nextLine: true }), '\n  echo done');
    });
  });
});
