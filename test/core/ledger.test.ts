import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultLedgerPath, Ledger, type LedgerRecord } from '../../src/core/ledger';
import { fakeKeys } from '../fakes/fakeKeys';

// Key-shaped but fake; assembled at run time so no key-like literal sits in the repository.
const FAKE_OPENAI_KEY = ['sk', 'proj', 'abcdefghijklmnopqrstuvwx'].join('-');
const FAKE_AWS_KEY_ID = fakeKeys.awsAccessKeyId('ledger');

const repoRoot = path.resolve(__dirname, '../..');

function record(fields: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    v: 1,
    time: '2026-07-25T10:00:00.000Z',
    task: 'chat',
    provider: 'anthropic',
    model: 'claude-sonnet-5',
    requestedModel: 'anthropic:claude-sonnet-5',
    usage: { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0 },
    usageEstimated: false,
    costUsd: 0.0054,
    latencyMs: 2100,
    firstTokenMs: 450,
    outcome: 'ok',
    attempts: [],
    source: 'cli',
    ...fields,
  };
}

describe('Ledger', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-ledger-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads back what it appended, one JSON line per record, creating the folders', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'ledger.jsonl');
    const ledger = new Ledger(file);
    const first = record();
    const second = record({
      task: 'completion',
      provider: 'openai',
      model: 'gpt-5.4-nano',
      requestedModel: 'anthropic:claude-haiku-4-5',
      attempts: [{ provider: 'anthropic', model: 'claude-haiku-4-5', error: 'rate limited (429)' }],
      costUsd: null,
      usageEstimated: true,
      outcome: 'cancelled',
      firstTokenMs: null,
    });
    await ledger.append(first);
    await ledger.append(second);

    const { records, warnings } = await ledger.read();
    assert.deepEqual(records, [first, second]);
    assert.deepEqual(warnings, []);
    const lines = (await readFile(file, 'utf8')).split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
  });

  it('queues appends without waiting and writes them in order; flush waits for all', async () => {
    const ledger = new Ledger(path.join(dir, 'ledger.jsonl'));
    for (let i = 0; i < 50; i++) void ledger.append(record({ latencyMs: i }));
    await ledger.flush();
    const { records } = await ledger.read();
    assert.deepEqual(
      records.map((r) => r.latencyMs),
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('adds to an existing file and never rewrites it', async () => {
    const file = path.join(dir, 'ledger.jsonl');
    const earlier = JSON.stringify(record({ model: 'claude-opus-5' })) + '\n';
    await writeFile(file, earlier);
    await new Ledger(file).append(record());
    const text = await readFile(file, 'utf8');
    assert.ok(text.startsWith(earlier));
    assert.equal((await new Ledger(file).read()).records.length, 2);
  });

  it('keeps whole lines when two processes append at the same time', async function () {
    this.timeout(60_000);
    const file = path.join(dir, 'ledger.jsonl');
    const writer = path.join(dir, 'writer.ts');
    // Long error texts make each line a few kilobytes, so overlapping writes would show.
    await writeFile(
      writer,
      `
      (async () => {
        const { Ledger } = await import(${JSON.stringify(path.join(repoRoot, 'src/core/ledger.ts'))});
        const [file, who] = process.argv.slice(2);
        const ledger = new Ledger(file);
        process.stdout.write('ready\\n');
        await new Promise((resolve) => process.stdin.once('data', resolve));
        for (let i = 0; i < 300; i++) {
          void ledger.append({
            v: 1, time: new Date().toISOString(), task: 'completion', provider: 'openai', model: who,
            requestedModel: 'openai:' + who, usage: { inputTokens: i, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
            usageEstimated: false, costUsd: 0.0001, latencyMs: i, firstTokenMs: 10, outcome: 'ok',
            attempts: Array.from({ length: 8 }, (_, n) => ({ provider: 'bedrock', model: 'm' + n, error: who.repeat(490 / who.length) })),
          });
        }
        await ledger.flush();
        process.stdin.destroy();
      })();
      `,
    );
    const start = (who: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, file, who], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] });
      const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      return { child, ready, exited };
    };
    const writers = [start('alpha'), start('beta')];
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.child.stdin.write('go\n');
    assert.deepEqual(await Promise.all(writers.map((w) => w.exited)), [0, 0]);

    const { records, warnings } = await new Ledger(file).read();
    assert.deepEqual(warnings, []);
    assert.equal(records.length, 600);
    for (const who of ['alpha', 'beta']) {
      const own = records.filter((r) => r.model === who);
      assert.deepEqual(
        own.map((r) => r.latencyMs),
        Array.from({ length: 300 }, (_, i) => i),
        `${who}'s records are whole and in order`,
      );
    }
  });

  it('skips a corrupt line and a cut-off last line with warnings naming them, and keeps the rest', async () => {
    const file = path.join(dir, 'ledger.jsonl');
    const good = (model: string) => JSON.stringify(record({ model })) + '\n';
    await writeFile(
      file,
      good('first') +
        'this is not json\n' +
        good('second') +
        JSON.stringify({ v: 1, task: 'chat', model: 'half a record' }) +
        '\n' +
        '\n' +
        good('third').slice(0, 80),
    );
    const { records, warnings } = await new Ledger(file).read();
    assert.deepEqual(
      records.map((r) => r.model),
      ['first', 'second'],
    );
    assert.deepEqual(warnings, [
      `${file}:2: skipped a line that is not JSON`,
      `${file}:4: skipped a record: "time" must be an ISO date`,
      `${file}:6: skipped the last line, which is incomplete (a write was cut off)`,
    ]);
  });

  it('starts the next record on a fresh line after a cut-off last line', async () => {
    const file = path.join(dir, 'ledger.jsonl');
    await writeFile(file, JSON.stringify(record({ model: 'before' })) + '\n' + '{"v":1,"time":"2026-07-');
    await new Ledger(file).append(record({ model: 'after' }));
    const { records, warnings } = await new Ledger(file).read();
    assert.deepEqual(
      records.map((r) => r.model),
      ['before', 'after'],
    );
    assert.deepEqual(warnings, [`${file}:2: skipped a line that is not JSON`]);
  });

  it('skips records of a newer format, saying so', async () => {
    const file = path.join(dir, 'ledger.jsonl');
    await writeFile(file, JSON.stringify({ ...record(), v: 2 }) + '\n' + JSON.stringify(record()) + '\n');
    const { records, warnings } = await new Ledger(file).read();
    assert.equal(records.length, 1);
    assert.deepEqual(warnings, [`${file}:1: skipped a record: version 2 was written by a newer Switchboard`]);
  });

  it('reads only records at or after `since`', async () => {
    const ledger = new Ledger(path.join(dir, 'ledger.jsonl'));
    void ledger.append(record({ time: '2026-07-24T23:59:59.000Z', model: 'yesterday' }));
    void ledger.append(record({ time: '2026-07-25T00:00:00.000Z', model: 'today' }));
    await ledger.flush();
    const { records } = await ledger.read({ since: new Date('2026-07-25T00:00:00.000Z') });
    assert.deepEqual(
      records.map((r) => r.model),
      ['today'],
    );
  });

  it('reads a ledger that does not exist yet as empty', async () => {
    assert.deepEqual(await new Ledger(path.join(dir, 'none.jsonl')).read(), { records: [], warnings: [] });
  });

  it('keeps keys out of error texts and shortens long ones', async () => {
    const ledger = new Ledger(path.join(dir, 'ledger.jsonl'));
    await ledger.append(
      record({
        outcome: 'error',
        error: `Incorrect API key provided: ${FAKE_OPENAI_KEY}. ` + 'x'.repeat(2000),
        attempts: [{ provider: 'bedrock', model: 'm', error: `denied for ${FAKE_AWS_KEY_ID}` }],
      }),
    );
    const text = await readFile(ledger.path, 'utf8');
    assert.ok(!text.includes(FAKE_OPENAI_KEY) && !text.includes(FAKE_AWS_KEY_ID));
    const [stored] = (await ledger.read()).records;
    assert.ok(stored?.error?.startsWith('Incorrect API key provided: [redacted]. xxx'));
    assert.equal(stored?.error?.length, 500);
    assert.equal(stored?.attempts[0]?.error, 'denied for [redacted]');
  });

  it('reports a failed write to onError instead of rejecting', async () => {
    const blocked = path.join(dir, 'blocked');
    await mkdir(blocked);
    const errors: string[] = [];
    const ledger = new Ledger(blocked, { onError: (error) => errors.push(error.message) });
    await ledger.append(record());
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /Could not write to the ledger .*blocked/);
  });

  it('refuses a malformed record without writing it', async () => {
    const errors: string[] = [];
    const ledger = new Ledger(path.join(dir, 'ledger.jsonl'), { onError: (error) => errors.push(error.message) });
    await ledger.append({ ...record(), costUsd: Number.NaN });
    await ledger.append(record());
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /"costUsd" must be a number >= 0 or null/);
    assert.equal((await ledger.read()).records.length, 1);
  });
});

describe('defaultLedgerPath', () => {
  it('is $SWITCHBOARD_LEDGER when set, on every platform', () => {
    assert.equal(defaultLedgerPath({ SWITCHBOARD_LEDGER: '/tmp/mine.jsonl' }, 'linux', '/home/ada'), '/tmp/mine.jsonl');
    assert.equal(defaultLedgerPath({ SWITCHBOARD_LEDGER: 'D:\\l.jsonl' }, 'win32', 'C:\\Users\\ada'), 'D:\\l.jsonl');
  });

  it('follows XDG_DATA_HOME on Linux, defaulting to ~/.local/share', () => {
    assert.equal(defaultLedgerPath({}, 'linux', '/home/ada'), '/home/ada/.local/share/switchboard/ledger.jsonl');
    assert.equal(defaultLedgerPath({ XDG_DATA_HOME: '/data/ada' }, 'linux', '/home/ada'), '/data/ada/switchboard/ledger.jsonl');
    // A relative XDG_DATA_HOME is invalid per the spec and ignored.
    assert.equal(defaultLedgerPath({ XDG_DATA_HOME: 'rel' }, 'linux', '/home/ada'), '/home/ada/.local/share/switchboard/ledger.jsonl');
  });

  it('is under Application Support on macOS', () => {
    assert.equal(defaultLedgerPath({}, 'darwin', '/Users/ada'), '/Users/ada/Library/Application Support/switchboard/ledger.jsonl');
  });

  it('is under %APPDATA% on Windows', () => {
    assert.equal(
      defaultLedgerPath({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada'),
      'C:\\Users\\ada\\AppData\\Roaming\\switchboard\\ledger.jsonl',
    );
    assert.equal(defaultLedgerPath({}, 'win32', 'C:\\Users\\ada'), 'C:\\Users\\ada\\AppData\\Roaming\\switchboard\\ledger.jsonl');
  });
});
