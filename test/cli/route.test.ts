import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess as run } from './inProcess';

const DEADLOCK = 'why does this deadlock?\n```go\nmu1.Lock()\nmu2.Lock()\n// other goroutine: mu2.Lock(); mu1.Lock()\n```';

describe('switchboard route', () => {
  useTempFolder('route');

  it('prints the model Auto would pick, its tier, score and reasons, without calling a model', async () => {
    const result = await run(['route', 'How do I reverse a list in Python?']);
    assert.equal(result.code, 0, result.stderr);
    const [first, pick, ...rest] = result.stdout.trimEnd().split('\n');
    // Off by default: what `ask` uses comes first, then Auto's pick, were it on.
    assert.equal(first, 'anthropic:claude-sonnet-5  the chat route as listed (Auto is off in this configuration)');
    assert.match(pick!, /^ {2}with Auto on \("auto": \{"enabled": true\} in --config\): anthropic:claude-haiku-4-5 {2}cheap tier, score 0\.\d{3}$/);
    assert.ok(rest.length >= 1 && rest.every((line) => line.startsWith('  - ')), result.stdout);
  });

  it('refuses a "__proto__" key in the config file\'s prices, naming the file, its line and the key', async () => {
    const config = path.join(dir, 'proto.jsonc');
    await writeFile(config, '{ "prices": { "__proto__": { "input": 0, "output": 0 } } }\n');
    const result = await run(['route', '--config', config, 'How do I reverse a list?']);
    // As every problem of a config file: a script is told at once (cliSupport.ts), not left with a price it lost.
    assert.equal(result.code, 2, result.stderr);
    // The file, the line the key is on, and the key: as the CLI names every problem of a config file.
    assert.ok(result.stderr.includes(`${config}:1: prices["__proto__"]: "__proto__" is not a model id`), result.stderr);
  });

  it('prints {provider, model, tier, score, reasons} with --json', async () => {
    const result = await run(['route', '--json', DEADLOCK]);
    assert.equal(result.code, 0, result.stderr);
    const decision = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(decision), ['provider', 'model', 'tier', 'score', 'reasons']);
    assert.equal(decision.tier, 'strong');
    assert.equal(`${decision.provider}:${decision.model}`, 'anthropic:claude-sonnet-5');
    assert.ok(typeof decision.score === 'number' && decision.score > 0 && decision.score <= 1);
    assert.ok((decision.reasons as string[]).some((reason) => /deadlock|concurren|locks/.test(reason)), String(decision.reasons));
  });

  it('routes Plan requests between the plan route and its cheap tier', async () => {
    const easy = JSON.parse((await run(['route', '--task', 'plan', '--json', 'Add a LICENSE file (MIT).'])).stdout) as { tier: string; model: string };
    const hard = JSON.parse((await run(['route', '--task', 'plan', '--json', 'Migrate the user store from MongoDB to Postgres without downtime, across all services.'])).stdout) as { tier: string; model: string };
    assert.deepEqual([easy.tier, easy.model], ['cheap', 'claude-sonnet-5']);
    assert.deepEqual([hard.tier, hard.model], ['strong', 'claude-opus-5']);
  });

  it('scores --attach files with the prompt, as ask would send them: a short question about attached code is read with its code', async () => {
    const attached = path.join(dir, 'query.ts');
    await writeFile(attached, Array.from({ length: 40 }, (_, i) => `export function find${i}(db: Db, name: string) { return db.query("SELECT * FROM users WHERE name = '" + name + "'"); }`).join('\n'));
    const bare = JSON.parse((await run(['route', '--json', 'is this safe?'], { cwd: dir })).stdout) as { reasons: string[] };
    const withFile = await run(['route', '--json', '--attach', 'query.ts', 'is this safe?'], { cwd: dir });
    assert.equal(withFile.code, 0, withFile.stderr);
    const decision = JSON.parse(withFile.stdout) as { tier: string; reasons: string[] };
    assert.ok(bare.reasons.some((reason) => /no code attached/.test(reason)), String(bare.reasons));
    assert.ok(decision.reasons.some((reason) => /40 lines of code attached/.test(reason)), String(decision.reasons));
    assert.equal(decision.tier, 'strong');
  });

  it('refuses --attach with --jsonl, an excluded file, and standard input asked for twice', async () => {
    await writeFile(path.join(dir, '.env'), 'SECRET=1\n');
    const cases: Array<[string[], string]> = [
      [['--jsonl', '--attach', 'query.ts'], 'switchboard: --attach goes with one PROMPT, not --jsonl (put the attached text in each line\'s "prompt")'],
      [['--attach', '.env', 'what is this?'], 'switchboard: --attach .env is excluded by "exclude" (the defaults or --config); not attached'],
      [['--attach', '-', '-'], 'switchboard: --attach - reads standard input, so PROMPT must be given as an argument'],
    ];
    for (const [args, message] of cases) {
      const result = await run(['route', ...args], { cwd: dir, stdin: '' });
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stderr.trim().split('\n')[0], message);
      assert.equal(result.stdout, '');
    }
  });

  it('answers JSON Lines in order, one decision per prompt, history included', async () => {
    const prompts = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? { prompt: DEADLOCK } : i % 3 === 1 ? { prompt: `What is ${i} times 2?` } : { prompt: 'and in Go?', history: [{ role: 'user', content: 'Why does this deadlock under load?' }, { role: 'assistant', content: 'Lock order.' }] }));
    const input = `${prompts.map((p) => JSON.stringify(p)).join('\n')}\n\n`;
    const result = await run(['route', '--jsonl'], { stdin: input });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { tier: string; reasons: string[] });
    assert.equal(lines.length, 300);
    lines.forEach((line, i) => {
      if (i % 3 === 0) assert.equal(line.tier, 'strong', `line ${i + 1}`);
      if (i % 3 === 2) assert.ok(line.reasons.length > 0);
    });
    // Identical prompts get identical answers, wherever they are in the stream.
    assert.deepEqual(lines[0], lines[297]);
  });

  it('names the line of a bad JSON Lines input and keeps the answers before it', async () => {
    const result = await run(['route', '--jsonl'], { stdin: '{"prompt": "hello"}\n{"prompt": 42}\n{"prompt": "never read"}\n' });
    assert.equal(result.code, 2);
    assert.equal(result.stdout.trim().split('\n').length, 1);
    assert.equal(result.stderr, 'switchboard: standard input line 2: "prompt" must be a string\n');
    const notJson = await run(['route', '--jsonl'], { stdin: 'what is this\n' });
    assert.equal(notJson.stderr, 'switchboard: standard input line 1: not JSON (expected {"prompt": "..."})\n');
    const badHistory = await run(['route', '--jsonl'], { stdin: '{"prompt": "x", "history": [{"role": "system", "content": "y"}]}\n' });
    assert.match(badHistory.stderr, /line 1: "history" must be a list of/);
  });

  it('shows the reasons for requests in other languages and for a pasted log', async () => {
    const decide = async (prompt: string) => JSON.parse((await run(['route', '--json', prompt])).stdout) as { tier: string; reasons: string[] };
    const german = await decide('Warum verklemmen sich meine zwei Threads, wenn beide die Sperren in umgekehrter Reihenfolge nehmen?');
    assert.equal(german.tier, 'strong');
    assert.ok(german.reasons.includes('concurrency ("verklemmen")'), String(german.reasons));
    const french = await decide('Comment renommer une variable dans tout le projet ?');
    assert.equal(french.tier, 'cheap');
    assert.ok(!french.reasons.some((reason) => reason.includes('"comment"')), String(french.reasons));
    const log = Array.from({ length: 50 }, (_, i) => `2026-12-01 10:00:${String(i).padStart(2, '0')},123 INFO  [main] o.a.c.Server - request ${i} served in ${i * 3} ms`).join('\n');
    const pasted = JSON.parse((await run(['route', '--json', '-'], { stdin: `Why do some requests take ten times longer than the rest?\n${log}` })).stdout) as { reasons: string[] };
    assert.ok(pasted.reasons.includes('50 lines of log pasted'), String(pasted.reasons));
  });

  it('refuses an empty or white-space prompt in JSON Lines, naming its line, whatever the conversation before it', async () => {
    const history = [{ role: 'user', content: DEADLOCK }, { role: 'assistant', content: 'Lock order.' }];
    const stdin = `${JSON.stringify({ prompt: 'What is 2 times 2?' })}\n${JSON.stringify({ prompt: ' \n\t ', history })}\n${JSON.stringify({ prompt: DEADLOCK })}\n`;
    const result = await run(['route', '--jsonl'], { stdin });
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'switchboard: standard input line 2: "prompt" is empty (only white space): there is no question to route\n');
    // The decision before it is written, so the output lines up with the input up to the refused line.
    assert.deepEqual(result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { tier: string }).tier), ['cheap']);
    const empty = await run(['route', '--jsonl'], { stdin: `${JSON.stringify({ prompt: '' })}\n` });
    assert.equal(empty.stderr, 'switchboard: standard input line 1: "prompt" is empty: there is no question to route\n');
  });

  it('reads JSON Lines saved on Windows: a byte order mark first, CRLF line ends', async () => {
    const result = await run(['route', '--jsonl'], { stdin: `\uFEFF${JSON.stringify({ prompt: DEADLOCK })}\r\n${JSON.stringify({ prompt: 'What is 2 times 2?' })}\r\n` });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { tier: string }).tier), ['strong', 'cheap']);
  });

  it('refuses what it cannot route: completion, a PROMPT with --jsonl, no prompt', async () => {
    assert.equal((await run(['route', '--task', 'completion', 'x'])).stderr, 'switchboard: --task "completion" cannot be routed automatically (expected chat or plan)\n');
    assert.match((await run(['route', '--jsonl', 'x'], { stdin: '' })).stderr, /--jsonl reads prompts from standard input; give no PROMPT/);
    assert.match((await run(['route'])).stderr, /no prompt given/);
  });

  it('keeps a local-only route local: no cloud model, even with cloud keys in the environment', async () => {
    const config = path.join(dir, 'local.json');
    await writeFile(
      config,
      JSON.stringify({ providers: { custom: { ollama: { type: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' } } }, routes: { chat: ['ollama:qwen2.5-coder:7b'] } }),
    );
    for (const prompt of ['hi', 'What does the -p flag do in mkdir?', DEADLOCK]) {
      const result = await run(['route', '--json', '--config', config, prompt], { cwd: dir });
      const decision = JSON.parse(result.stdout) as { provider: string; model: string; tier: string; reasons: string[] };
      assert.deepEqual([decision.provider, decision.model, decision.tier], ['ollama', 'qwen2.5-coder:7b', 'strong']);
      assert.deepEqual(decision.reasons, ['no cheap tier: ollama is a local server with no built-in cheap model (name one in auto.cheapRoutes.chat)']);
    }
  });

  it('says when no model of the chosen tier has credentials, and still names the model', async () => {
    const result = await run(['route', 'How do I exit vim?'], { env: {} });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^anthropic:claude-sonnet-5 {2}the chat route as listed/);
    assert.match(result.stdout, /\(no model of the chat route has credentials: no anthropic API key/);
  });
});
