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

    it('asks for the lines below a joining backslash, and puts an answer glued onto it there', () => {
      const doc = 'run() {\n  docker run \\¦\n}\n';
      assert.equal(asksForLines(doc), true);
      // Glued on, `--rm` would follow the backslash on its line (`docker run \--rm`, escaping the `-`).
      assert.equal(clean('--rm \\\nimage', doc, { multiline: true }), '\n    --rm \\\n    image');
      assert.equal(clean('    --rm \\\n    image', doc, { multiline: true }), '\n    --rm \\\n    image');
      assert.equal(asksForLines('run() {\n  echo \\\\¦\n}\n'), false, 'an escaped backslash joins nothing');
      // Before the closing quote VS Code typed, the backslash starts an escape (`\n`): the answer stays on the line.
      assert.equal(clean('n', 'run() {\n  echo "hello\\¦"\n}\n', { multiline: true }), 'n');
    });

    it('reads an escaped backslash, or one in a comment, as no continuation', () => {
      assert.equal(clean('\necho done', 'run() {\n  echo \\\\¦\n}\n', { nextLine: true }), '\n  echo done');
      assert.equal(clean('\necho done', 'run() {\n  ls # a\\b \\¦\n}\n', { nextLine: true }), '\n  echo done');
    });
  });

  describe('heredocs: their text is not code', () => {
    it('reads no `case` arm and no bracket in a heredoc\'s text, and leaves its lines as the model wrote them', () => {
      // `  start)` is a line of the usage text: no arm body is asked for or pushed below it, and the text's own
      // indentation (column 0) is kept, not moved under the line above.
      assert.equal(asksForLines('case "$1" in\n  a)\n    cat <<EOF\n  start)¦\nEOF\n'), false);
      assert.equal(clean('\nline two', 'usage() {\n  cat <<EOF\n  start)¦\nEOF\n}\n', { nextLine: true }), '\nline two');
      assert.equal(clean('more text\nend', 'usage() {\n  cat <<EOF\n  say ¦\nEOF\n}\n', { multiline: true }), 'more text\nend');
      // Quoted and `<<-` delimiters too; `<<-`'s text may be indented with tabs, its delimiter line as well.
      assert.equal(clean('\n$HOME (literal', "usage() {\n  cat <<'EOF'\n  stop)¦\nEOF\n}\n", { nextLine: true }), '\n$HOME (literal');
      assert.equal(clean('\n\tmore\n\tEOF\n\techo done', 'usage() {\n\tcat <<-EOF\n\tHello¦\n}\n', { nextLine: true }), '\n\tmore\n\tEOF');
    });

    it('ends an answer in a heredoc, or one that opens it, with its delimiter line', () => {
      // At an empty line of the text, an answer that starts by closing it ends there too (was: the code after it shown).
      assert.equal(clean('EOF\necho done\nexit 0', 'usage() {\n  cat <<EOF\nHello\n¦\n}\n', { multiline: true }), 'EOF');
      assert.equal(clean('OF\necho done', 'usage() {\n  cat <<EOF\nHello\nE¦\n}\n', { multiline: true }), 'OF');
      assert.equal(clean('world\n  again\nEOF\necho done', 'usage() {\n  cat <<EOF\nHello ¦\n}\n', { multiline: true }), 'world\n  again\nEOF');
      // The lines after `cat <<EOF` are its text at column 0, not a body indented under the command.
      assert.equal(clean('\nUsage: build [fast]\n  -h  help\nEOF\necho done', 'usage() {\n  cat <<EOF¦\n}\n', { nextLine: true }), '\nUsage: build [fast]\n  -h  help\nEOF');
    });

    it('reads code again after the delimiter line: a bracket in the text above leaves a later arm an arm', () => {
      const doc = 'case "$1" in\n  a)\n    cat <<EOF\ntext (see below\nEOF\n    ;;\n  b)¦\nesac\n';
      assert.equal(asksForLines(doc), true);
      assert.equal(clean('echo b\n;;', doc, { multiline: true }), '\n    echo b\n    ;;');
      // Nor does a `case x in` in the text make a line after it an arm; a here-string (`<<<`) opens no text.
      assert.equal(asksForLines('cat <<EOF\ncase x in\nEOF\nfoo)¦\n'), false);
      assert.equal(clean('\necho done', 'f() {\n  cat <<<"$x"¦\n}\n', { nextLine: true }), '\n  echo done');
      assert.equal(clean('\necho done', 'f() {\n  echo "a << b"¦\n}\n', { nextLine: true }), '\n  echo done');
      // A shift in arithmetic opens none either.
      assert.equal(clean('\necho done', 'f() {\n  n=$((x << bits))\n  echo "$n"¦\n}\n', { nextLine: true }), '\n  echo done');
    });
  });

  describe('a `case … esac` inside a `$( … )` written over several lines', () => {
    it('reads `esac)` as the end of the substitution, not an arm, and puts the next line at the statement\'s indentation', () => {
      const doc = 'run() {\n  kind=$(\n    case "$1" in\n      a) echo x ;;\n    esac)¦\n}\n';
      assert.equal(asksForLines(doc), false);
      assert.equal(clean('\necho "$kind"', doc, { nextLine: true }), '\n  echo "$kind"');
    });

    it('does not count the arms\' `)` against the `$(`: the `)` closing it ends the statement that opened it', () => {
      const doc = 'run() {\n  kind=$(\n    case "$1" in\n      a) echo x ;;\n      b) echo y ;;\n    esac\n    )¦\n}\n';
      assert.equal(clean('\necho "$kind"', doc, { nextLine: true }), '\n  echo "$kind"');
    });

    it('passes over the inner case whole, so an arm of the outer case after it is still an arm', () => {
      const doc = 'case "$2" in\n  x)\n    kind=$(case "$1" in\n      a) echo x ;;\n    esac)\n    ;;\n  y)¦\nesac\n';
      assert.equal(asksForLines(doc), true);
      assert.equal(clean('echo y\n;;', doc, { multiline: true }), '\n    echo y\n    ;;');
      // An arm right below `kind=$(case "$1" in` is the inner case's, though a `(` opens before its `case`.
      assert.equal(asksForLines('run() {\n  kind=$(case "$1" in\n    a)¦\n  esac)\n}\n'), true);
    });
  });
});
