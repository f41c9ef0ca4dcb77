/**
 * Renders the hand-written evaluation items (eval/router/source) into
 * eval/router/requests.jsonl: each request exactly as the extension would send
 * it (attachments as the chat panel writes them, Plan requests through
 * buildPlanRequest), with its label, a fixed train/test split and the token
 * counts the cost report uses.
 *
 *   npm run eval:router:build            write requests.jsonl
 *   npm run eval:router:build -- --check exit 1 if requests.jsonl is not what the sources give
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateTypeScript } from '../../bench/sourceGenerator';
import { hashToUnit } from '../../bench/stats';
import { attachment, promptWithAttachments, type Attachment as ChatAttachment } from '../../src/core/prompts/attachments';
import { buildPlanRequest } from '../../src/core/prompts/planPrompt';
import { CHAT_SYSTEM, PLAN_SYSTEM } from '../../src/core/prompts/taskPrompts';
import type { ChatMessage } from '../../src/core/types';
import { estimateTokens } from '../../src/core/usageEstimate';
import { codingConversations } from '../../eval/router/source/codingConversations';
import { codingEveryday } from '../../eval/router/source/codingEveryday';
import { codingHard } from '../../eval/router/source/codingHard';
import { codingPlans } from '../../eval/router/source/codingPlans';
import type { Attachment, Kind, Level, SourceGroup, SourceItem } from '../../eval/router/source/items';
import { knowledge } from '../../eval/router/source/knowledge';
import { math } from '../../eval/router/source/math';
import { multilingual } from '../../eval/router/source/multilingual';
import { notation } from '../../eval/router/source/notation';
import { textbook } from '../../eval/router/source/textbook';
import { programming } from '../../eval/router/source/programming';
import { tryout } from '../../eval/router/source/tryout';
import { type EvalItem } from './evalSet';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'eval/router/requests.jsonl');
/** Files of this repository attached to some requests are read at this commit, so the set never drifts. */
const PINNED_COMMIT = '05cc0b129651a50537386b5ca64fe79c79700cc1';
const SPLIT_SEED = 20261125;
/** Share of each (family, level) stratum held out for testing. */
const TEST_SHARE = 0.35;

const GROUPS: SourceGroup[] = [codingEveryday, codingHard, codingPlans, codingConversations, math, knowledge, programming, multilingual, tryout, notation, textbook];

/** The expected quality of a cheap model's answer per level, the strong model's being 1 (see eval/router/README.md). */
export const CHEAP_QUALITY: Record<Level, number> = { 0: 1, 1: 0.85, 2: 0.55, 3: 0.25 };

/** Typical answer length by kind, in tokens, for the cost estimate. */
const OUTPUT_TOKENS: Record<Kind, number> = {
  lookup: 150,
  explain: 400,
  edit: 300,
  convert: 400,
  write: 350,
  test: 600,
  debug: 500,
  concurrency: 600,
  perf: 600,
  review: 700,
  refactor: 1000,
  design: 1200,
  plan: 1500,
  proof: 800,
  security: 800,
  devops: 300,
  arithmetic: 250,
  competition: 600,
  fact: 60,
  reasoning: 300,
  task: 300,
};

/** VS Code language ids for the snippets' languages. */
const LANGUAGE_IDS: Record<string, string> = { bash: 'shellscript', text: 'plaintext' };

interface Snippet {
  languageId: string;
  label: string;
  text: string;
}

function readSnippets(): Map<string, Snippet> {
  const text = readFileSync(path.join(ROOT, 'eval/router/source/snippets.txt'), 'utf8');
  const snippets = new Map<string, Snippet>();
  for (const block of text.split(/^=== /m).slice(1)) {
    const newline = block.indexOf('\n');
    const [name, language, label] = block.slice(0, newline).trim().split(/\s+/);
    if (!name || !language || !label) throw new Error(`snippets.txt: bad header "${block.slice(0, newline)}"`);
    if (snippets.has(name)) throw new Error(`snippets.txt: "${name}" defined twice`);
    snippets.set(name, { languageId: LANGUAGE_IDS[language] ?? language, label, text: block.slice(newline + 1).replace(/\s+$/, '') });
  }
  return snippets;
}

const repoFiles = new Map<string, string>();
function readRepoFile(file: string): string {
  let text = repoFiles.get(file);
  if (text === undefined) {
    text = execFileSync('git', ['show', `${PINNED_COMMIT}:${file}`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    repoFiles.set(file, text);
  }
  return text;
}

/** An attachment as the chat panel would attach it (cut to the same limit, labelled the same way). */
function resolve(source: Attachment, snippets: Map<string, Snippet>, where: string): ChatAttachment {
  if ('snippet' in source) {
    const snippet = snippets.get(source.snippet);
    if (!snippet) throw new Error(`${where}: no snippet "${source.snippet}"`);
    return attachment(source.label ?? snippet.label, snippet.languageId, snippet.text);
  }
  if ('generated' in source) return attachment(source.label, 'typescript', generateTypeScript(source.generated.seed, source.generated.lines));
  return attachment(source.label ?? source.repoFile, source.lang, readRepoFile(source.repoFile));
}

/** Workspace layouts for Plan requests: a small TypeScript tool, a Python/Go service, a monorepo. */
function workspaceFiles(kind: 'small' | 'service' | 'monorepo'): string[] {
  const files: string[] = [];
  const add = (folder: string, names: string[]) => files.push(...names.map((name) => (folder ? `${folder}/${name}` : name)));
  add('', ['README.md', 'package.json', 'tsconfig.json', '.gitignore']);
  if (kind === 'small') {
    add('src', ['cli.ts', 'config.ts', 'format.ts', 'inventory.ts', 'report.ts', 'store.ts']);
    add('src/util', ['debounce.ts', 'dates.ts', 'money.ts']);
    add('test', ['config.test.ts', 'format.test.ts', 'inventory.test.ts', 'report.test.ts']);
    return files.sort();
  }
  const nouns = ['orders', 'customers', 'billing', 'catalog', 'shipping', 'auth', 'search', 'reports', 'notifications', 'inventory'];
  if (kind === 'service') {
    add('', ['Dockerfile', 'docker-compose.yml', 'pyproject.toml', 'Makefile']);
    add('.github/workflows', ['ci.yml', 'deploy.yml']);
    for (const noun of nouns) {
      add(`app/${noun}`, ['__init__.py', 'models.py', 'views.py', 'service.py', 'schemas.py']);
      add('tests', [`test_${noun}.py`]);
    }
    add('cmd/worker', ['main.go']);
    add('internal/queue', ['queue.go', 'queue_test.go']);
    add('migrations', Array.from({ length: 14 }, (_, i) => `${String(i + 1).padStart(4, '0')}_schema.sql`));
    return files.sort();
  }
  for (const app of ['web', 'mobile', 'admin']) {
    add(`apps/${app}`, ['package.json', 'tsconfig.json']);
    for (const noun of nouns) add(`apps/${app}/src/${noun}`, ['index.ts', 'api.ts', 'store.ts', 'View.tsx', 'View.test.tsx']);
  }
  for (const noun of nouns) {
    add(`services/${noun}`, ['package.json', 'Dockerfile']);
    add(`services/${noun}/src`, ['server.ts', 'routes.ts', 'repository.ts', 'events.ts', 'config.ts']);
    add(`services/${noun}/test`, ['routes.test.ts', 'repository.test.ts']);
  }
  add('packages/shared/src', ['types.ts', 'http.ts', 'retry.ts', 'logger.ts', 'featureFlags.ts']);
  add('infra/terraform', ['main.tf', 'variables.tf', 'outputs.tf', 'rds.tf', 'eks.tf']);
  return files.sort();
}

function render(group: SourceGroup, item: SourceItem, index: number, snippets: Map<string, Snippet>): Omit<EvalItem, 'split'> {
  const id = `${group.prefix}-${String(index + 1).padStart(3, '0')}`;
  const task = item.plan ? 'plan' : 'chat';
  let prompt: string;
  let system: string;
  if (item.plan) {
    const code = item.plan.code ? resolve(item.plan.code, snippets, id) : undefined;
    const request = buildPlanRequest(
      {
        goal: item.prompt,
        ...(code ? { code: { path: code.label, languageId: code.languageId, text: code.text } } : {}),
        files: workspaceFiles(item.plan.workspace),
        openEditors: item.plan.openEditors ?? (code ? [code.label] : []),
      },
      4096,
    );
    prompt = request.messages[0]!.content;
    system = request.system ?? PLAN_SYSTEM;
  } else {
    prompt = promptWithAttachments(item.prompt, (item.attach ?? []).map((a) => resolve(a, snippets, id)));
    system = CHAT_SYSTEM;
  }
  const history: ChatMessage[] = (item.history ?? []).map((content, turn) => ({ role: turn % 2 === 0 ? 'user' : 'assistant', content }));
  if (history.length % 2 !== 0) throw new Error(`${id}: history must end with an assistant turn`);
  const inputTokens = [system, prompt, ...history.map((m) => m.content)].reduce((sum, text) => sum + estimateTokens(text), 0);
  return {
    id,
    family: group.family,
    kind: item.kind,
    task,
    level: item.level,
    cheapQuality: CHEAP_QUALITY[item.level],
    cheapSuffices: item.level <= 1,
    inputTokens,
    outputTokens: OUTPUT_TOKENS[item.kind],
    ...(item.why ? { why: item.why } : {}),
    ...(item.relabelledFrom !== undefined ? { relabelledFrom: item.relabelledFrom } : {}),
    prompt,
    ...(history.length ? { history } : {}),
  };
}

/**
 * About TEST_SHARE of every (family, level) stratum, picked by a seeded hash of the id: fixed, and balanced. A
 * corrected label keeps the stratum of the level first written: moving math-057 from level 2 to 1 would otherwise
 * have moved 11 other maths requests between the parts, and itself into training.
 */
function assignSplits(items: Omit<EvalItem, 'split'>[]): EvalItem[] {
  const strata = new Map<string, Omit<EvalItem, 'split'>[]>();
  for (const item of items) {
    const key = `${item.family}/${item.relabelledFrom ?? item.level}`;
    strata.set(key, [...(strata.get(key) ?? []), item]);
  }
  const test = new Set<string>();
  for (const members of strata.values()) {
    const ordered = [...members].sort((a, b) => hashToUnit(a.id, SPLIT_SEED) - hashToUnit(b.id, SPLIT_SEED));
    ordered.forEach((item, k) => {
      if (Math.floor((k + 1) * TEST_SHARE) > Math.floor(k * TEST_SHARE)) test.add(item.id);
    });
  }
  return items.map(({ id, ...rest }) => ({ id, split: test.has(id) ? 'test' : 'train', ...rest }));
}

function build(): string {
  const snippets = readSnippets();
  const rendered = GROUPS.flatMap((group) => group.items.map((item, index) => render(group, item, index, snippets)));
  const ids = new Set(rendered.map((item) => item.id));
  if (ids.size !== rendered.length) throw new Error('duplicate item ids');
  const prompts = new Set(rendered.map((item) => `${item.prompt}\u0000${JSON.stringify(item.history ?? [])}`));
  if (prompts.size !== rendered.length) throw new Error('two items have the same request');
  return assignSplits(rendered).map((item) => JSON.stringify(item)).join('\n') + '\n';
}

const text = build();
if (process.argv.includes('--check')) {
  const current = readFileSync(OUT, 'utf8');
  if (current !== text) {
    console.error('eval/router/requests.jsonl is out of date: run npm run eval:router:build');
    process.exit(1);
  }
  console.log('eval/router/requests.jsonl is up to date');
} else {
  writeFileSync(OUT, text);
  const lines = text.trim().split('\n').map((line) => JSON.parse(line) as EvalItem);
  const count = (filter: (item: EvalItem) => boolean) => lines.filter(filter).length;
  console.log(
    `wrote ${path.relative(ROOT, OUT)}: ${lines.length} requests (${count((i) => i.split === 'train')} train, ${count((i) => i.split === 'test')} test), ` +
      `${count((i) => i.cheapSuffices)} cheap-suffices, ${(text.length / 1024).toFixed(0)} KiB`,
  );
}
