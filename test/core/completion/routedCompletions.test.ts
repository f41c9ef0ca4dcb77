import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import type { KeyStore } from '../../../src/core/credentials';
import { createRoutedCompletionEngine } from '../../../src/core/completion/routedCompletions';
import type { RouterEvent } from '../../../src/core/router';
import { Switchboard } from '../../../src/core/switchboard';
import { startFakeProviders, type FakeProviders } from '../../fakes';

const AT = { uri: 'file:///ws/cart.ts', languageId: 'typescript', relativePath: 'cart.ts', suffix: '\n}\n' };

/**
 * The editor's completion engine on the real router, registry and ledger, with
 * the fake OpenAI server: while the router would refuse, typing pauses cost
 * nothing (no request, no ledger record, no router event), and completions
 * resume as soon as a key arrives.
 */
describe('Routed completions back off while the router would refuse', () => {
  let fakes: FakeProviders;
  let dir: string;
  const opened: Switchboard[] = [];

  before(async () => {
    fakes = await startFakeProviders();
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-backoff-'));
  });
  after(async () => {
    // Their ledgers and served counts are written in the background: out before the folder goes.
    await Promise.all(opened.map((switchboard) => switchboard.dispose()));
    await fakes.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function ledgerLines(switchboard: Switchboard): Promise<string[]> {
    await switchboard.ledger.flush();
    return (await readFile(switchboard.ledgerPath, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  }

  it('makes no request and writes nothing without a key, and goes ahead once one is stored', async () => {
    const keys = new Map<string, string>();
    const keyStore: KeyStore = { get: async (id) => keys.get(id) };
    // Not a local URL, which would need no key; nothing is sent to it in this test. Allowed the key, which a
    // host other than api.openai.com is not sent otherwise (core/keyHost.ts).
    const { config } = resolveConfig({
      providers: { openai: { baseUrl: 'https://openai.example.test/v1', sendKeyTo: ['openai.example.test'] } },
      routes: { completion: ['openai:gpt-5.4-nano'] },
      completion: { debounceMs: 0 },
    });
    const events: RouterEvent[] = [];
    const switchboard = await Switchboard.create({
      config,
      source: 'cli',
      env: { AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') },
      keyStore,
      ledgerPath: path.join(dir, 'no-key.jsonl'),
      onEvent: (event) => events.push(event),
    });
    opened.push(switchboard);
    const engine = createRoutedCompletionEngine(switchboard);

    for (const typed of ['return ', 'return c', 'return ca', 'return car']) {
      assert.equal(await engine.complete({ ...AT, prefix: `function total(cart) {\n  ${typed}` }, new AbortController().signal), undefined);
    }
    assert.equal(engine.stats().refused, 4);
    assert.equal(engine.stats().modelRequests, 0);
    assert.deepEqual(events, [], 'no router event: nothing for the status bar to turn red over');
    assert.deepEqual(await ledgerLines(switchboard), [], 'no error record per pause');

    keys.set('openai', 'test-key');
    await switchboard.reconfigure(config);
    assert.equal(switchboard.router.refusal('completion'), undefined, 'a stored key lifts the refusal without a restart');
    engine.dispose();
  });

  it('resumes when the settings change: an empty route refuses, a fixed one completes', async () => {
    const broken = resolveConfig({ providers: { openai: fakes.urls.openai }, routes: { completion: ['nope'] }, completion: { debounceMs: 0 } });
    assert.deepEqual(broken.config.routes.completion, [], 'the route stays empty rather than taking the cloud defaults');
    const switchboard = await Switchboard.create({
      config: broken.config,
      source: 'cli',
      env: { OPENAI_API_KEY: 'test-key' },
      ledgerPath: path.join(dir, 'empty-route.jsonl'),
    });
    opened.push(switchboard);
    const engine = createRoutedCompletionEngine(switchboard);
    const input = { ...AT, prefix: 'function total(cart) {\n  return ' };
    assert.equal(await engine.complete(input, new AbortController().signal), undefined);
    assert.deepEqual(await ledgerLines(switchboard), []);

    const fixed = resolveConfig({ providers: { openai: fakes.urls.openai }, routes: { completion: ['openai:gpt-5.4-nano'] }, completion: { debounceMs: 0 } });
    await switchboard.reconfigure(fixed.config);
    fakes.openai.script({ text: 'cart.items.length;' });
    const answered = await engine.complete(input, new AbortController().signal);
    assert.deepEqual(answered, { text: 'cart.items.length;', source: 'model' });
    assert.equal((await ledgerLines(switchboard)).length, 1);
    engine.dispose();
  });
});

/**
 * What an answer's text does to the ghost text, on the real router with the fake OpenAI server answering through
 * the real SDK.
 */
describe('Routed completions: what the answer holds', () => {
  let fakes: FakeProviders;
  let dir: string;
  let switchboard: Switchboard;

  before(async () => {
    fakes = await startFakeProviders();
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-answers-'));
    const { config } = resolveConfig({ providers: { openai: fakes.urls.openai }, routes: { completion: ['openai:gpt-5.4-nano'] }, completion: { debounceMs: 0 } });
    switchboard = await Switchboard.create({ config, source: 'cli', env: { OPENAI_API_KEY: 'test-key' }, ledgerPath: path.join(dir, 'ledger.jsonl') });
  });
  after(async () => {
    await switchboard.dispose();
    await fakes.close();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Trojan Source (CVE-2021-42574): an answer that carries a bidi override or a zero-width character is not
   * offered, since ghost text cannot show them and Tab accepts it unseen. An emoji's own joiner is not such a
   * character.
   */
  describe('hidden characters in the answer', () => {
    for (const [name, answer] of [
      ['a right-to-left override', 'isAdmin) { \u202E } \u2066// check later\u2069 {'],
      ['a zero-width space', 'cart.it\u200Bems.length;'],
      ['a tag character', 'cart.items.length; \u{E0041}\u{E0042}'],
    ] as const) {
      it(`offers nothing for an answer with ${name}`, async () => {
        const engine = createRoutedCompletionEngine(switchboard);
        fakes.openai.script({ text: answer });
        const requestsBefore = engine.stats().modelRequests;
        assert.equal(await engine.complete({ ...AT, prefix: `function total(cart) {\n  return ${name.length} + ` }, new AbortController().signal), undefined);
        assert.equal(engine.stats().modelRequests, requestsBefore + 1, 'the model was asked and answered');
        engine.dispose();
      });
    }

    /** Tab would put it in the file unseen; printed later (cat, a build log), a terminal obeys it. */
    for (const [name, answer] of [
      ['an escape sequence that writes the clipboard (OSC 52)', 'cart.items.length; // \u001b]52;c;cm0gLXJmIH4=\u0007'],
      ['a backspace', 'cart.items.length;\b\b\b\bdrop();'],
      ['a C1 control (CSI)', 'cart.items.length; \u009b2J'],
    ] as const) {
      it(`offers nothing for an answer with ${name}`, async () => {
        const engine = createRoutedCompletionEngine(switchboard);
        fakes.openai.script({ text: answer });
        const requestsBefore = engine.stats().modelRequests;
        assert.equal(await engine.complete({ ...AT, prefix: `function total(cart) {\n  return ${name.length} + ` }, new AbortController().signal), undefined);
        assert.equal(engine.stats().modelRequests, requestsBefore + 1, 'the model was asked and answered');
        engine.dispose();
      });
    }

    it('offers an answer whose only joiner is inside an emoji', async () => {
      const engine = createRoutedCompletionEngine(switchboard);
      fakes.openai.script({ text: "'\u{1F469}\u200D\u{1F4BB} done';" });
      const answered = await engine.complete({ ...AT, prefix: 'function total(cart) {\n  return ' }, new AbortController().signal);
      assert.deepEqual(answered, { text: "'\u{1F469}\u200D\u{1F4BB} done';", source: 'model' });
      engine.dispose();
    });
  });

  /** Inside a docstring or a template literal a line is text: it opens no block, and a template's lines are its content. */
  describe('an answer inside a multi-line string', () => {
    it('keeps the lines after a docstring line ending with a colon at the indentation the model gave them (no block opened)', async () => {
      const engine = createRoutedCompletionEngine(switchboard);
      fakes.openai.script({ text: '\n    name, version and entry.\n    Unknown keys are ignored.' });
      const answered = await engine.complete(
        {
          uri: 'file:///ws/settings.py',
          languageId: 'python',
          relativePath: 'settings.py',
          prefix: 'def load(path):\n    """Read the settings file.\n\n    The file must hold these keys:',
          suffix: '\n    """\n    return parse(path)\n',
        },
        new AbortController().signal,
      );
      const prompt = JSON.stringify(fakes.openai.requests.at(-1)?.body);
      assert.ok(prompt.includes('as many lines as the surrounding code needs'), `asked for several lines after the colon: ${prompt}`);
      assert.deepEqual(answered, { text: '\n    name, version and entry.\n    Unknown keys are ignored.', source: 'model' });
      engine.dispose();
    });

    it('leaves a template literal’s lines as the model wrote them, less indented ones too, up to the line that closes it', async () => {
      const engine = createRoutedCompletionEngine(switchboard);
      fakes.openai.script({ text: '\n  name\nFROM users\nWHERE active = true`;\n\nexport default query;' });
      const answered = await engine.complete(
        { ...AT, uri: 'file:///ws/query.ts', relativePath: 'query.ts', prefix: 'const query = `\n  SELECT id,', suffix: '\n', explicit: true },
        new AbortController().signal,
      );
      assert.deepEqual(answered, { text: '\n  name\nFROM users\nWHERE active = true`;', source: 'model' });

      // A snippet written from column 0 inside an indented template: its lines are the template's text, not re-indented.
      fakes.openai.script({ text: '<p>${user.email}</p>\n</div>' });
      const inHtml = await engine.complete(
        { ...AT, uri: 'file:///ws/card.ts', relativePath: 'card.ts', prefix: 'function card(user) {\n  return `\n    <div class="card">\n      ', suffix: '\n  `;\n}\n' },
        new AbortController().signal,
      );
      assert.deepEqual(inHtml, { text: '<p>${user.email}</p>\n</div>', source: 'model' });
      engine.dispose();
    });

    it('reads a docstring colon as a block again once the docstring is closed', async () => {
      const engine = createRoutedCompletionEngine(switchboard);
      // The body without the line break the opener needs, as chat models often write it.
      fakes.openai.script({ text: '        return 0' });
      const answered = await engine.complete(
        {
          uri: 'file:///ws/closed.py',
          languageId: 'python',
          relativePath: 'closed.py',
          prefix: 'def size(items):\n    """Count them:\n    all of them."""\n    if not items:',
          suffix: '\n',
        },
        new AbortController().signal,
      );
      assert.deepEqual(answered, { text: '\n        return 0', source: 'model' });
      engine.dispose();
    });
  });

  /** Answers real chat models give in the middle of a line, after `= ` or `return `: the line's indentation first. */
  describe('an answer that starts with its own indentation mid-line', () => {
    for (const [languageId, prefix, answer, expected] of [
      ['rust', 'fn main() {\n    let v = vec![1, 2, 3];\n    let total: i32 = ', '    v.iter().sum();', 'v.iter().sum();'],
      ['python', 'def area(w, h):\n    return ', '  w * h', 'w * h'],
      ['go', 'func double(x int) int {\n\treturn ', '\tx * 2', 'x * 2'],
    ] as const) {
      it(`leaves no run of blanks after the line's last space (${languageId})`, async () => {
        const engine = createRoutedCompletionEngine(switchboard);
        fakes.openai.script({ text: answer });
        const answered = await engine.complete(
          { uri: `file:///ws/blanks.${languageId}`, languageId, relativePath: `blanks.${languageId}`, prefix, suffix: '\n}\n' },
          new AbortController().signal,
        );
        assert.deepEqual(answered, { text: expected, source: 'model' });
        engine.dispose();
      });
    }
  });

  describe('a JSON member added before the object’s close', () => {
    it('drops the comma the model put after the last member, which JSON does not allow, and keeps one before another member', async () => {
      const engine = createRoutedCompletionEngine(switchboard);
      const at = { uri: 'file:///ws/package.json', languageId: 'json', relativePath: 'package.json' };
      fakes.openai.script({ text: '"license": "MIT",' });
      const last = await engine.complete({ ...at, prefix: '{\n  "name": "demo",\n  ', suffix: '\n}\n' }, new AbortController().signal);
      assert.deepEqual(last, { text: '"license": "MIT"', source: 'model' });
      fakes.openai.script({ text: '"license": "MIT",' });
      const between = await engine.complete({ ...at, prefix: '{\n  "name": "demo",\n  ', suffix: '\n  "version": "1.0.0"\n}\n' }, new AbortController().signal);
      assert.deepEqual(between, { text: '"license": "MIT",', source: 'model' });
      engine.dispose();
    });
  });

  /**
   * A CRLF document whose window sent holds no line break (a one-line file): the editor says which line break the
   * document uses, and the ghost text's lines get it, so that the text typed after Enter still matches what was shown.
   */
  describe('a CRLF document with no line break in the window', () => {
    it('gives a multi-line answer the document’s CRLF, and serves it on after Enter without a request', async () => {
      const engine = createRoutedCompletionEngine(switchboard);
      fakes.openai.script({ text: '\n  return a + b;\n}' });
      const input = { ...AT, uri: 'file:///ws/add.js', relativePath: 'add.js', languageId: 'javascript', prefix: 'function add(a, b) {', suffix: '', eol: '\r\n' as const };
      const answered = await engine.complete(input, new AbortController().signal);
      assert.deepEqual(answered, { text: '\r\n  return a + b;\r\n}', source: 'model' });
      const requests = engine.stats().modelRequests;
      // Enter in the editor types the document's line break and the indentation.
      const afterEnter = await engine.complete({ ...input, prefix: `${input.prefix}\r\n  ` }, new AbortController().signal);
      assert.deepEqual(afterEnter, { text: 'return a + b;\r\n}', source: 'typed-through' });
      assert.equal(engine.stats().modelRequests, requests, 'no new request');
      engine.dispose();
    });
  });

  /** Chat models often indent a snippet's later lines relative to its first line, as if the cursor stood at column 0. */
  describe('a chat answer indented relative to its first line', () => {
    it('shows the lines after the first at the cursor’s indentation, not cut after the first line', async () => {
      const engine = createRoutedCompletionEngine(switchboard);
      fakes.openai.script({ text: 'total = 0\nfor item in self.items:\n    total += item.price\nreturn total' });
      const answered = await engine.complete(
        {
          uri: 'file:///ws/cart.py',
          languageId: 'python',
          relativePath: 'cart.py',
          prefix: 'class Cart:\n    def total(self):\n        ',
          suffix: '\n\n    def size(self):\n        return len(self.items)\n',
        },
        new AbortController().signal,
      );
      assert.deepEqual(answered, {
        text: 'total = 0\n        for item in self.items:\n            total += item.price\n        return total',
        source: 'model',
      });
      engine.dispose();
    });

    it('indents the lines of an answer that starts with a line break, after a finished line, at the line’s indentation', async () => {
      const engine = createRoutedCompletionEngine(switchboard);
      // Asked for (Alt+\\) at the end of a finished line: the request is for the lines after it, and the model puts the
      // line break first, then a function of its own indented from column 0 after a blank line.
      fakes.openai.script({ text: '\n\nfunction next() {\n  return x + 1;\n}' });
      const answered = await engine.complete(
        { ...AT, prefix: 'function setup() {\n    const x = 1;', suffix: '\n    use(x);\n}\n', explicit: true },
        new AbortController().signal,
      );
      const prompt = JSON.stringify(fakes.openai.requests.at(-1)?.body);
      assert.ok(prompt.includes('continue with the lines that follow it'), `asked for the next lines: ${prompt}`);
      assert.deepEqual(answered, { text: '\n\n    function next() {\n      return x + 1;\n    }', source: 'model' });
      engine.dispose();
    });
  });
});
