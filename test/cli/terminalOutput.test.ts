import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { shownOnTerminal } from '../../src/cli/terminalText';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess as run } from './inProcess';

/** A window-title change and an OSC 52 clipboard write, as a hostile config file or ledger could carry them. */
const TITLE = '\x1b]0;pwned\x07';
const OSC52 = '\x1b]52;c;cm0gLXJmIH4=\x07';

describe('switchboard CLI output in a terminal', () => {
  useTempFolder('terminal');

  /** A config whose route and ledger path carry the sequences; what it writes to the terminal is checked. */
  async function hostileConfig(): Promise<string> {
    const config = path.join(dir, 'hostile.json');
    await writeFile(config, JSON.stringify({ routes: { chat: [`openai:gpt-5${TITLE}`] }, auto: { enabled: false }, ledger: { path: path.join(dir, `spend${OSC52}.jsonl`) } }));
    return config;
  }
  const hasControls = (text: string) => text.includes('\x1b') || text.includes('\x07');
  const shown = (text: string) => text.replaceAll('\x1b', '?').replaceAll('\x07', '?');

  it('route shows the escape sequences of a model id from the config as "?" on a terminal, and passes them to a pipe as written', async () => {
    const config = await hostileConfig();
    const terminal = await run(['route', '--config', config, 'Hello'], { stdoutIsTTY: true, stderrIsTTY: true });
    const piped = await run(['route', '--config', config, 'Hello']);
    assert.equal(terminal.code, 0, terminal.stderr);
    assert.ok(piped.stdout.startsWith(`openai:gpt-5${TITLE}  the chat route as listed`), piped.stdout);
    assert.ok(piped.stderr.includes(`routes.chat: openai:gpt-5${TITLE} is not in the price table`), piped.stderr);
    assert.equal(terminal.stdout, shown(piped.stdout));
    assert.equal(terminal.stderr, shown(piped.stderr));
    assert.equal(hasControls(terminal.stdout + terminal.stderr), false);
  });

  it('costs shows the escape sequences of a ledger path from the config as "?" on a terminal, and passes them to a pipe', async () => {
    const config = await hostileConfig();
    const terminal = await run(['costs', '--config', config], { stdoutIsTTY: true, stderrIsTTY: true });
    const piped = await run(['costs', '--config', config]);
    assert.equal(terminal.code, 0, terminal.stderr);
    assert.equal(piped.stdout.split('\n')[0], `Ledger: ${path.join(dir, `spend${OSC52}.jsonl`)}`);
    assert.equal(terminal.stdout, shown(piped.stdout));
    assert.equal(terminal.stderr, shown(piped.stderr));
    assert.equal(hasControls(terminal.stdout + terminal.stderr), false);
  });

  it('costs shows the bidi controls of model ids in a ledger by code point on a terminal, and passes them to a pipe', async () => {
    // The ledger is a file any process may write: a model id that reads "gpt-5-mini" and is not.
    const ledger = path.join(dir, 'bidi.jsonl');
    const record = { v: 1, time: new Date().toISOString(), task: 'chat', provider: 'openai', model: 'gpt-5\u202Einim-\u202C', requestedModel: 'openai:gpt-5', usage: { inputTokens: 10, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 }, usageEstimated: false, costUsd: 0.001, latencyMs: 100, firstTokenMs: 50, outcome: 'ok', attempts: [], source: 'cli' };
    await writeFile(ledger, `${JSON.stringify(record)}\n`);
    const config = path.join(dir, 'plain.json');
    await writeFile(config, JSON.stringify({ auto: { enabled: false } }));
    const terminal = await run(['costs', '--config', config, '--ledger', ledger, '--by', 'model'], { stdoutIsTTY: true, stderrIsTTY: true });
    const piped = await run(['costs', '--config', config, '--ledger', ledger, '--by', 'model']);
    assert.equal(terminal.code, 0, terminal.stderr);
    assert.ok(piped.stdout.includes('gpt-5\u202Einim-\u202C'), piped.stdout);
    assert.ok(terminal.stdout.includes('openai:gpt-5<U+202E>inim-<U+202C>  '), terminal.stdout);
    assert.equal(/[\u202C\u202E]/.test(terminal.stdout), false, terminal.stdout);
    // The columns are sized from the text as each prints it (costsTableWidths.test.ts): only the padding differs.
    const unpadded = (text: string) => text.replace(/ +/g, ' ');
    assert.equal(unpadded(terminal.stdout), unpadded(piped.stdout.replaceAll('\u202E', '<U+202E>').replaceAll('\u202C', '<U+202C>')));
  });

  it('an error naming a config key shows its escape sequences as "?" on a terminal', async () => {
    const config = path.join(dir, 'bad-key.json');
    await writeFile(config, JSON.stringify({ [`rout${TITLE}es`]: {} }));
    const terminal = await run(['costs', '--config', config], { stderrIsTTY: true });
    const piped = await run(['costs', '--config', config]);
    assert.equal(terminal.code, 2);
    assert.ok(piped.stderr.includes(`rout${TITLE}es: is not a Switchboard setting`), piped.stderr);
    assert.equal(terminal.stderr, shown(piped.stderr));
  });

  it('shows controls and lone carriage returns as "?" in whole writes, keeping tabs and line ends; a second pass changes nothing', () => {
    assert.equal(shownOnTerminal('a\tb\r\nc\nd\re\x1b[2Kf\u009b'), 'a\tb\r\nc\nd?e?[2Kf?');
    assert.equal(shownOnTerminal(shownOnTerminal('x\ry\x1b')), 'x?y?');
  });
});
