import assert from 'node:assert/strict';
import { AnswerLinkGuard } from '../../src/vscode/answerLinkGuard';

/** `text` through a guard in pieces of `size` characters, then its end. */
function guarded(text: string, size = text.length): string {
  const guard = new AnswerLinkGuard();
  let out = '';
  for (let offset = 0; offset < text.length; offset += size) out += guard.write(text.slice(offset, offset + size));
  return out + guard.end();
}

describe('AnswerLinkGuard', () => {
  it('breaks the scheme of command:, vscode:, data: and other links, in every form a Markdown link takes', () => {
    const answer = [
      '[Fix it](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)',
      '[clone]( <vscode://vscode.git/clone?url=x>) <vscode-insiders://vscode.git/clone?url=x> <Command:x>',
      '[ref]: ms-msdt:/id PCWDiagnostic',
      '<a href="data:text/html,x">a</a> <img src=\'javascript:alert(1)\'>',
    ].join('\n');
    assert.equal(
      guarded(answer),
      [
        '[Fix it](command\\:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)',
        '[clone]( <vscode\\://vscode.git/clone?url=x>) <vscode-insiders\\://vscode.git/clone?url=x> <Command\\:x>',
        '[ref]: ms-msdt\\:/id PCWDiagnostic',
        '<a href="data\\:text/html,x">a</a> <img src=\'javascript\\:alert(1)\'>',
      ].join('\n'),
    );
  });

  it('breaks them however the answer was cut into pieces, one character at a time too', () => {
    const answer = 'Run [this](command:workbench.action.files.save) or <vscode://x.y/z>.\n';
    const expected = 'Run [this](command\\:workbench.action.files.save) or <vscode\\://x.y/z>.\n';
    for (const size of [1, 2, 3, 5, 7, 11]) assert.equal(guarded(answer, size), expected, `pieces of ${size}`);
  });

  it('breaks command::, vscode:: and vscode-insiders:: (a command id ":x" is still run) but not C++\'s <std::string>, in pieces of any size', () => {
    const answer = '[Fix](command::x) <Command::y> [v](vscode::z) <std::string> [r](Foo::bar)\n';
    const expected = '[Fix](command\\::x) <Command\\::y> [v](vscode\\::z) <std::string> [r](Foo::bar)\n';
    for (const size of [1, 2, 3, 5, 9, answer.length]) assert.equal(guarded(answer, size), expected, `pieces of ${size}`);
  });

  it('leaves web and mail links, words with colons, and code alone', () => {
    const answer = [
      'See [docs](https://example.com/a:b), <http://x.y>, [mail](mailto:a@b.c) and [rel](./notes.md).',
      'Note: a ratio 3:4 at 10:30, std::map<std::string, int>.',
      '```xml',
      '<xsl:template match="/"><a href="command:x"/></xsl:template>',
      '```',
      '~~~~',
      '[x](command:y)',
      '```',
      '~~~~',
      'After: <a:b>',
    ].join('\n');
    const out = guarded(answer, 4);
    assert.equal(out, answer.replace('After: <a:b>', 'After: <a\\:b>'));
  });

  it('breaks links where a backtick only seems to start inline code: a lone one, a span closed on the next line, an escaped one', () => {
    // Markdown makes a link of each: a backtick without its pair is text, and the pairs are not the ones on the line.
    const answer = [
      'Lone ` [a](command:x)',
      '`open',
      'closed` [b](command:y) `c`',
      '\\` [c](command:z) `',
      'In code too: `<xsl:template>` and `[d](command:w)`',
    ].join('\n');
    assert.equal(guarded(answer, 3), answer.replace(/(command|xsl):/g, '$1\\:'));
  });

  it('breaks links after a line that only looks like a fence, or after the list item a fence was in', () => {
    const answer = [
      '``` info `with a backtick` opens no fence',
      '[a](command:x)',
      '',
      '1. Run:',
      '   ```bash',
      '   npm i <in:fence>',
      '[b](command:y)',
    ].join('\n');
    const expected = answer.replace('command:x', 'command\\:x').replace('command:y', 'command\\:y');
    for (const size of [1, 4, answer.length]) assert.equal(guarded(answer, size), expected, `pieces of ${size}`);
  });

  it('breaks a link with a long run of white space before it, which VS Code reads as one', () => {
    const answer = `[a](${' '.repeat(100)}command:y)\n[b](\n${'\t'.repeat(80)}<vscode:z>)\n`;
    assert.equal(guarded(answer, 7), answer.replace(/(command|vscode):/g, '$1\\:'));
  });

  it("breaks an HTML link whose scheme is written with entities, and a video's placeholder", () => {
    const answer = '<a href="command&#58;workbench.action.openSettings">a</a> <a href=\'c&#111;mmand:x\'>b</a> <video placeholder="vscode://x.y/z"></video>\n';
    const expected = '<a href="command\\&#58;workbench.action.openSettings">a</a> <a href=\'c\\&#111;mmand:x\'>b</a> <video placeholder="vscode\\://x.y/z"></video>\n';
    for (const size of [1, 3, answer.length]) assert.equal(guarded(answer, size), expected, `pieces of ${size}`);
    // An & after the scheme is the address's own: left alone.
    assert.equal(guarded('<a href="https://x.example/?a=1&amp;b=2">x</a>'), '<a href="https://x.example/?a=1&amp;b=2">x</a>');
  });

  it('breaks links after a fence line inside an HTML block, which VS Code reads as HTML, not as a fence', () => {
    const answer = ['<div>', '```', '<a href="command:x">a</a>', '```', '</div>', '', '<pre>', '', '```', '<img src="vscode:y">', '```', '</pre>', '', '```', '<a href="command:z">', '```'].join('\n');
    const expected = answer.replace('command:x', 'command\\:x').replace('vscode:y', 'vscode\\:y');
    for (const size of [1, 5, answer.length]) assert.equal(guarded(answer, size), expected, `pieces of ${size}`);
  });

  it('holds a final colon until it knows what follows, and writes it at the end', () => {
    const guard = new AnswerLinkGuard();
    assert.equal(guard.write('see <std:'), 'see <std');
    assert.equal(guard.write(':string>'), '::string>');
    assert.equal(guard.write(' and <command:'), ' and <command');
    assert.equal(guard.end(), '\\:');
  });
});
