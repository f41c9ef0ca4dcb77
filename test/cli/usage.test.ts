import assert from 'node:assert/strict';
import { runInProcess as run, type Run } from './inProcess';

/** A usage error: exit 2, nothing on stdout, one line on stderr; returns that line. */
function usageError(result: Run): string {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n').filter((line) => line);
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  return lines[0]!;
}

describe('switchboard usage errors', () => {
  it('names an unknown option in its own words', async () => {
    assert.equal(usageError(await run(['costs', '--bogus'])), 'switchboard: unknown option --bogus (see "switchboard --help")');
    assert.equal(usageError(await run(['ask', '-x', 'hi'])), 'switchboard: unknown option -x (options are spelt --name) (see "switchboard --help")');
  });

  it('says a flag needs a value, at the end or followed by another flag, rather than "ambiguous"', async () => {
    assert.equal(usageError(await run(['costs', '--since'])), 'switchboard: --since needs a value (see "switchboard --help")');
    assert.equal(
      usageError(await run(['costs', '--by', '--json'])),
      'switchboard: --by needs a value, got the option "--json" (write --by=--json if that is the value) (see "switchboard --help")',
    );
  });

  it('says a switch takes no value, naming the value', async () => {
    assert.equal(usageError(await run(['costs', '--json=yes'])), 'switchboard: --json takes no value (got "yes") (see "switchboard --help")');
  });

  it('refuses a flag that takes one value given twice, naming both values, instead of taking the last', async () => {
    assert.equal(
      usageError(await run(['route', '--task', 'chat', '--task', 'plan', 'hello'])),
      'switchboard: --task given twice ("chat", then "plan"); give it once (see "switchboard --help")',
    );
    assert.match(usageError(await run(['costs', '--since=2026-11-01', '--since', '2026-12-01'])), /--since given twice \("2026-11-01", then "2026-12-01"\)/);
  });

  it('still takes a switch given twice (--json --json)', async () => {
    const result = await run(['route', '--json', '--json', 'How do I reverse a list in Python?']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).tier, 'cheap');
  });

  it('takes what follows -- as the prompt, dashes and all', async () => {
    const result = await run(['route', '--json', '--', '--task', 'is', 'a', 'word', 'here']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(JSON.parse(result.stdout).reasons.join(' '), /short request \(5 words\)/);
  });
});
