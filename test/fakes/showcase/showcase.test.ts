import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { resolveConfig } from '../../../src/core/config';
import { createRoutedCompletionEngine } from '../../../src/core/completion/routedCompletions';
import { promptWithAttachments } from '../../../src/core/prompts/attachments';
import { buildPlanRequest } from '../../../src/core/prompts/planPrompt';
import { chatRequest } from '../../../src/core/prompts/taskPrompts';
import { Switchboard } from '../../../src/core/switchboard';
import { startFakeProviders, type FakeProviders } from '../index';
import { createShowcaseAnswerer, SHOWCASE_STREAM_MS } from './index';

const SAMPLE = path.join(__dirname, '../../../sample-workspace');
const SAMPLE_FILES = ['src/inventory.ts', 'src/format.ts', 'src/report.py', 'README.md'];

/**
 * The sandbox's showcase answers through the real router, adapters and SDKs
 * against the fake servers: chat and plan answers that show the whole UI, and
 * ghost text that leaves the sample workspace compiling wherever it is offered.
 */
describe('Showcase answers (the sandbox)', () => {
  let fakes: FakeProviders;
  let dir: string;
  const created: Switchboard[] = [];
  const sources: Record<string, string> = {};
  const savedAws = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY };

  before(async () => {
    // The AWS SDK's credential chain reads the process environment itself.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'SHOWCASEKEYID0000001', AWS_SECRET_ACCESS_KEY: 'showcase' });
    fakes = await startFakeProviders({ answerer: createShowcaseAnswerer(100) });
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-showcase-'));
    for (const file of SAMPLE_FILES) sources[file] = await readFile(path.join(SAMPLE, file), 'utf8');
  });
  after(async () => {
    await fakes?.close();
    // Ledger lines are appended in the background: let them land before the folder goes.
    await Promise.all(created.map((switchboard) => switchboard.ledger.flush()));
    await rm(dir, { recursive: true, force: true });
    for (const [name, value] of Object.entries(savedAws)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  async function switchboardFor(routes: Record<string, string[]>): Promise<Switchboard> {
    const { config } = resolveConfig({
      providers: { openai: { baseUrl: fakes.urls.openai.baseUrl }, anthropic: { baseUrl: fakes.urls.anthropic.baseUrl }, bedrock: fakes.urls.bedrock },
      routes,
      completion: { debounceMs: 0 },
    });
    const switchboard = await Switchboard.create({
      config,
      source: 'cli',
      env: { OPENAI_API_KEY: 'sk-showcase', ANTHROPIC_API_KEY: 'showcase', AWS_ACCESS_KEY_ID: 'SHOWCASEKEYID0000001', AWS_SECRET_ACCESS_KEY: 'showcase' },
      ledgerPath: path.join(dir, 'ledger.jsonl'),
    });
    created.push(switchboard);
    return switchboard;
  }

  it('answers chat in Markdown about the attached code, in its language, labelled Simulated and paced over about 1.5 s', async () => {
    const switchboard = await switchboardFor({ chat: ['anthropic:claude-sonnet-5'] });
    const prompt = promptWithAttachments('Which seller sold most?', [{ label: 'src/report.py', languageId: 'python', text: sources['src/report.py']! }]);
    const chunks: string[] = [];
    const result = await switchboard.router.run('chat', chatRequest(prompt, 2000), { onText: (text) => chunks.push(text) });
    const text = result.text;
    assert.equal(result.record.outcome, 'ok');
    assert.match(text, /^### Which seller sold most\?$/m);
    assert.match(text, /\*\*Simulated answer\.\*\* The sandbox's fake `claude-sonnet-5`/);
    assert.match(text, /You attached \*\*`src\/report\.py`\*\* \(16 lines of python\): `Sale`, `total_cents`, `best_sellers`/);
    assert.match(text, /^1\. \*\*Start from `best_sellers`\*\*/m);
    assert.match(text, /```python\ndef summarize\(sales: list\[Sale\], limit: int = 10\) -> list\[str\]:/, 'the sketch uses the attached type');
    assert.match(text, /^- /m, 'a bulleted list too');
    assert.ok(chunks.length > 50, `streamed in many pieces (${chunks.length})`);
    const reply = createShowcaseAnswerer()({ model: 'm', body: { messages: [{ role: 'user', content: prompt }] }, fim: false })!;
    assert.ok(Math.abs(reply.chunks! * reply.chunkDelayMs! - SHOWCASE_STREAM_MS) < reply.chunks!, 'the sandbox paces it to SHOWCASE_STREAM_MS');
  });

  it('answers chat without attachments with a TypeScript sketch and a hint to attach code', async () => {
    const switchboard = await switchboardFor({ chat: ['openai:gpt-5.4'] });
    const { text } = await switchboard.router.run('chat', chatRequest('How do I group things?', 2000), {});
    assert.match(text, /Nothing is attached yet: turn on \*\*Selection\*\* or \*\*Active file\*\*/);
    assert.match(text, /```typescript\nexport function groupBy</);
  });

  it('plans with every section the plan prompt asks for, steps as a checklist, naming the real files of the workspace', async () => {
    const switchboard = await switchboardFor({ plan: ['bedrock:us.anthropic.claude-sonnet-5'] });
    const request = buildPlanRequest(
      {
        goal: 'Add a low-stock report with a CSV export',
        code: { path: 'src/inventory.ts', languageId: 'typescript', text: sources['src/inventory.ts']! },
        files: SAMPLE_FILES,
        openEditors: ['src/inventory.ts'],
      },
      4000,
    );
    const { text, error } = await switchboard.router.run('plan', request, {});
    assert.equal(error, undefined);
    const sections = [...text.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    assert.deepEqual(sections, ['Goal', 'Steps', 'Files to touch', 'Risks', 'Open questions']);
    assert.match(text, /^> \*\*Simulated plan\.\*\*/);
    const steps = text.split('## Steps')[1]!.split('## Files to touch')[0]!.trim().split('\n');
    assert.ok(steps.length >= 4 && steps.every((line) => line.startsWith('- [ ] ')), steps.join('\n'));
    assert.match(text, /- \[ \] \*\*Change `src\/inventory\.ts`\*\*: add the new code next to `lowStock`, reusing `Item`/);
    const files = text.split('## Files to touch')[1]!.split('## Risks')[0]!;
    for (const file of ['src/inventory.ts', 'src/format.ts', 'src/inventory.test.ts` (new)', 'README.md']) assert.ok(files.includes(`\`${file}`), `${file} in:\n${files}`);
  });

  for (const [form, model] of [
    ['the chat form', 'openai:gpt-5.4-nano'],
    ['native fill-in-the-middle', 'openai:qwen2.5-coder:7b'],
  ] as const) {
    it(`offers ghost text (${form}) that never adds a compile error to the sample workspace, and not again once accepted`, async function () {
      this.timeout(60_000);
      const switchboard = await switchboardFor({ completion: [model] });
      const engine = createRoutedCompletionEngine(switchboard);
      const offered: string[] = [];
      for (const file of ['src/inventory.ts', 'src/format.ts', 'src/report.py']) {
        for (const site of cursorSites(sources[file]!)) {
          const complete = (text: string, at: number) =>
            engine.complete(
              { uri: `file:///sample/${file}`, languageId: file.endsWith('.py') ? 'python' : 'typescript', relativePath: file, prefix: text.slice(0, at), suffix: text.slice(at) },
              new AbortController().signal,
            );
          const result = await complete(site.text, site.at);
          if (!result) continue;
          const accepted = site.text.slice(0, site.at) + result.text + site.text.slice(site.at);
          offered.push(`${file}: ${result.text.trim()}`);
          assert.ok(problems(file, accepted, sources) <= problems(file, site.text, sources), `accepting ${JSON.stringify(result.text)} in ${file} adds a problem:\n${accepted}`);
          const again = await complete(accepted, site.at + result.text.length);
          assert.notEqual(again?.text, result.text, `the same suggestion again right after accepting it in ${file}`);
        }
      }
      assert.ok(offered.some((line) => line.includes('Array.from(this.items.values()).filter((item) => item.quantity <= threshold);')), offered.join('\n'));
      assert.ok(offered.some((line) => line.includes('return sorted(totals, key=lambda key: totals[key], reverse=True)[:top]')), offered.join('\n'));
      engine.dispose();
    });
  }
});

/** Where a user would ask for ghost text: each line's end, and a fresh line after it (indented as an editor would). */
function cursorSites(text: string): Array<{ text: string; at: number }> {
  const sites: Array<{ text: string; at: number }> = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const end = offset + line.length;
    sites.push({ text, at: end });
    const indent = /^\s*/.exec(line)![0] + (/[{:]\s*$/.test(line) ? (line.trimEnd().endsWith(':') ? '    ' : '  ') : '');
    sites.push({ text: `${text.slice(0, end)}\n${indent}${text.slice(end)}`, at: end + 1 + indent.length });
    offset = end + 1;
  }
  return sites;
}

const libraries = new Map<string, ts.SourceFile | undefined>();

/** Compile errors (TypeScript, strict, with the workspace's other files) or a Python syntax error. */
function problems(file: string, text: string, workspace: Record<string, string>): number {
  if (file.endsWith('.py')) {
    const check = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: text });
    return check.status === 0 ? 0 : 1;
  }
  const files = { ...workspace, [file]: text };
  const host = ts.createCompilerHost({});
  const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true, lib: ['lib.es2022.d.ts'] };
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => {
    const own = Object.entries(files).find(([relative]) => name.endsWith(relative));
    if (own) return ts.createSourceFile(name, own[1], version);
    if (!libraries.has(name)) libraries.set(name, read(name, version));
    return libraries.get(name);
  };
  host.fileExists = (name) => Object.keys(files).some((relative) => name.endsWith(relative)) || ts.sys.fileExists(name);
  const program = ts.createProgram([`/sample/${file}`], options, host);
  return ts.getPreEmitDiagnostics(program).length;
}
