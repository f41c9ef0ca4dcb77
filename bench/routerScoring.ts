/**
 * Section "router": how long Auto takes to score a request and pick its tier,
 * for requests of 100–200 KB in the shapes that get that big (a file attached to
 * a question, a file pasted without a fence, a pasted log, a long
 * conversation), beside a naive regex-heavy scorer and the prompt-length
 * router, interleaved call by call so all three see the same load. Also: the
 * model's one-off decode (what the first Auto request pays) and
 * `switchboard route --jsonl` on 10,000 prompts.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { promptWithAttachments } from '../src/core/prompts/attachments';
import type { RoutingInput } from '../src/core/routing/features';
import type { ChatMessage } from '../src/core/types';
import type { decodeRoutingModel, StoredRoutingModel } from '../src/core/routing/routingModel';
import type { defaultCheapTier } from '../src/core/routing/autoRoute';
import type { chooseTier } from '../src/core/routing/tiers';
import type { lengthScore, naiveScore } from './naiveRouter';
import { parseModelRef } from '../src/core/modelRef';
import { DEFAULT_ROUTES } from '../src/core/config';
import { type Check, SUMMARY_HEADERS, summaryRow, table } from './report';
import { generateTypeScript } from './sourceGenerator';
import { rounded, seededRandom, summarize, type Summary } from './stats';

export interface RouterBenchOptions {
  root: string;
  iterations: number;
  warmup: number;
  seed: number;
  /** Build dist/cli.js first (the CLI throughput run needs it). */
  build: boolean;
  log: (line: string) => void;
}

interface ShapeReport {
  shape: string;
  chars: number;
  switchboard: Summary;
  naive: Summary;
  length: Summary;
  /** What Auto decided, as a sanity check that the request was read. */
  decision: string;
}

export interface RouterBenchReport {
  method: string;
  shapes: ShapeReport[];
  /** Decoding model.json into typed arrays: paid once, on the first Auto request. */
  modelDecodeMs: Summary;
  cli: { prompts: number; inputBytes: number; seconds: number; promptsPerSecond: number } | { skipped: string };
  checks: Check[];
}

const TARGET_CHARS = 100_000;
const CLI_PROMPTS = 10_000;

/** Requests of 100 KB or more in the shapes that reach that size (a conversation: 100 messages). */
function requests(seed: number): Array<{ shape: string; input: RoutingInput }> {
  const random = seededRandom(seed);
  const code = generateTypeScript(seed, 3000).slice(0, TARGET_CHARS - 200);
  const question = 'Why does the order total come out wrong when a discount is applied twice? Keep the fix minimal.';
  const logLines: string[] = [];
  while (logLines.join('\n').length < TARGET_CHARS - 200) {
    const ms = Math.floor(random() * 900);
    logLines.push(`2026-11-25T10:${String(logLines.length % 60).padStart(2, '0')}:07Z INFO worker-${logLines.length % 7} processed order ${100000 + logLines.length} in ${ms} ms (retries 0, queue depth ${Math.floor(random() * 40)})`);
  }
  const history: ChatMessage[] = [];
  let historyChars = 0;
  for (let turn = 0; historyChars < TARGET_CHARS - 200; turn++) {
    const content =
      turn % 2 === 0
        ? `Follow-up ${turn / 2}: how should the invoice service handle partial refunds when the payment provider times out?`
        : `Here is one approach, with code:\n\`\`\`ts\n${code.slice(turn * 1500, turn * 1500 + 3000)}\n\`\`\`\nThe refund is recorded first, then confirmed.`;
    history.push({ role: turn % 2 === 0 ? 'user' : 'assistant', content });
    historyChars += content.length;
  }
  if (history.at(-1)?.role === 'user') history.pop();
  // 100 messages whose questions attached a file each: the chat panel sends attachments inside the user turn.
  const attachedHistory: ChatMessage[] = [];
  for (let turn = 0; turn < 50; turn++) {
    const file = { label: `src/part${turn}.ts`, languageId: 'typescript', text: code.slice(turn * 1000, turn * 1000 + 6000) };
    attachedHistory.push({ role: 'user', content: promptWithAttachments(`Why does part ${turn} drop the refund?`, [file]) }, { role: 'assistant', content: 'The refund is recorded before the payment settles; confirm it first.' });
  }
  const bigCode = generateTypeScript(seed + 1, 6000).slice(0, 2 * TARGET_CHARS);
  // Chinese and Japanese are read a character a word, each checked against the groups' terms: the costliest prose.
  const sentences = ['为什么这个服务在高并发时会死锁？', '订单总额在应用两次折扣后出错。', 'このキャッシュは複数のスレッドから更新されます。', '性能瓶颈在数据库查询上，延迟很高。', 'ブロックの整合性を確認してください。'];
  const cjkLines: string[] = [];
  for (let i = 0; cjkLines.join('\n').length < TARGET_CHARS / 2; i++) cjkLines.push(sentences[i % sentences.length]!.repeat(3));
  return [
    { shape: 'file attached + question', input: { task: 'chat', prompt: promptWithAttachments(question, [{ label: 'src/orders/totals.ts', languageId: 'typescript', text: code }]) } },
    { shape: 'file pasted, no fence', input: { task: 'chat', prompt: `${code}\n\n${question}` } },
    { shape: 'log pasted + question', input: { task: 'chat', prompt: `${logLines.join('\n')}\n\nWhy do some orders take 10x longer than the rest?` } },
    { shape: 'long conversation', input: { task: 'chat', prompt: 'And what about the retry path?', history } },
    { shape: '100 messages, files attached in them', input: { task: 'chat', prompt: 'thanks', history: attachedHistory } },
    { shape: 'Chinese and Japanese text + question', input: { task: 'chat', prompt: `${cjkLines.join('\n')}\n\n为什么会死锁？怎么从根本上解决？` } },
    { shape: '200 KB file attached + question', input: { task: 'chat', prompt: promptWithAttachments(question, [{ label: 'src/orders/all.ts', languageId: 'typescript', text: bigCode }]) } },
  ];
}

interface Scorers {
  chooseTier: typeof chooseTier;
  defaultCheapTier: typeof defaultCheapTier;
  decodeRoutingModel: typeof decodeRoutingModel;
  naiveScore: typeof naiveScore;
  lengthScore: typeof lengthScore;
}

/**
 * The scorers as they ship: bundled by esbuild the way scripts/build.mjs
 * bundles the extension (minified, node22), not through tsx's on-the-fly
 * transform, which adds its own overhead per call. The baselines are bundled
 * with them, so all three run the same kind of code.
 */
async function bundledScorers(root: string): Promise<Scorers> {
  const result = await esbuild.build({
    stdin: {
      contents:
        "export { chooseTier } from './src/core/routing/tiers';\n" +
        "export { defaultCheapTier } from './src/core/routing/autoRoute';\n" +
        "export { decodeRoutingModel } from './src/core/routing/routingModel';\n" +
        "export { naiveScore, lengthScore } from './bench/naiveRouter';\n",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-router-bench-'));
  const file = path.join(dir, 'scorers.js');
  await writeFile(file, result.outputFiles[0]!.text);
  try {
    return createRequire(__filename)(file) as Scorers;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runRouterBench(options: RouterBenchOptions): Promise<RouterBenchReport> {
  const { chooseTier, defaultCheapTier, decodeRoutingModel, naiveScore, lengthScore } = await bundledScorers(options.root);
  const stored = JSON.parse(readFileSync(path.join(options.root, 'src/core/routing/model.json'), 'utf8')) as StoredRoutingModel;
  const decodeTimes: number[] = [];
  let model = decodeRoutingModel(stored);
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    model = decodeRoutingModel(stored);
    decodeTimes.push(performance.now() - start);
  }
  const strong = DEFAULT_ROUTES.chat.map((text) => parseModelRef(text)!);
  const tiers = { cheap: defaultCheapTier('chat', strong), strong };
  const share = model.dial.defaultShare;
  const auto = (input: RoutingInput) => chooseTier(input, tiers, share, model);

  const shapes = requests(options.seed);
  const samples = shapes.map(() => ({ switchboard: [] as number[], naive: [] as number[], length: [] as number[] }));
  let sink = 0;
  for (let i = 0; i < options.warmup + options.iterations; i++) {
    shapes.forEach(({ input }, s) => {
      // Interleaved, in a rotating order, so no scorer always runs right after another's garbage.
      const order = [0, 1, 2].map((k) => (k + i) % 3);
      for (const which of order) {
        const start = performance.now();
        if (which === 0) sink += auto(input).score;
        else if (which === 1) sink += naiveScore(input);
        else sink += lengthScore(input);
        const elapsed = performance.now() - start;
        if (i >= options.warmup) samples[s]![(['switchboard', 'naive', 'length'] as const)[which]!].push(elapsed);
      }
    });
  }
  if (!Number.isFinite(sink)) throw new Error('scores were not numbers');

  const shapeReports: ShapeReport[] = shapes.map(({ shape, input }, s) => {
    const decision = auto(input);
    return {
      shape,
      chars: input.prompt.length + (input.history ?? []).reduce((sum, m) => sum + m.content.length, 0),
      switchboard: rounded(summarize(samples[s]!.switchboard), 4),
      naive: rounded(summarize(samples[s]!.naive), 4),
      length: rounded(summarize(samples[s]!.length), 4),
      decision: `${decision.tier} (score ${decision.score.toFixed(3)}): ${decision.reasons.join(', ')}`,
    };
  });

  const cli = await measureCli(options);
  const worstMedian = Math.max(...shapeReports.map((r) => r.switchboard.median));
  const worstP99 = Math.max(...shapeReports.map((r) => r.switchboard.p99));
  const checks: Check[] = [
    { name: 'router: score a 100–200 KB request, median under 1 ms', pass: worstMedian < 1, detail: `slowest shape's median ${worstMedian.toFixed(3)} ms` },
    { name: 'router: score a 100–200 KB request, p99 under 5 ms', pass: worstP99 < 5, detail: `slowest shape's p99 ${worstP99.toFixed(3)} ms` },
  ];
  if ('seconds' in cli) {
    checks.push({ name: `router: switchboard route --jsonl, ${CLI_PROMPTS.toLocaleString('en-US')} prompts in a few seconds (under 5 s)`, pass: cli.seconds < 5, detail: `${cli.seconds.toFixed(2)} s, ${Math.round(cli.promptsPerSecond).toLocaleString('en-US')} prompts/s` });
  }
  return {
    method:
      `Per shape, ${options.iterations} measured calls after ${options.warmup} warm-up calls of each scorer, interleaved in a rotating order; ` +
      'Switchboard = scoring plus tier choice and reasons (chooseTier); naive = regular expressions over the whole text; length = the request\'s length; ' +
      'all three from one esbuild bundle built like the extension (minified, node22). ' +
      `CLI: ${CLI_PROMPTS} prompts from eval/router/requests.jsonl (cycled) piped through node dist/cli.js route --jsonl, wall time of the process.`,
    shapes: shapeReports,
    modelDecodeMs: rounded(summarize(decodeTimes), 4),
    cli,
    checks,
  };
}

async function measureCli(options: RouterBenchOptions): Promise<RouterBenchReport['cli']> {
  const cliPath = path.join(options.root, 'dist', 'cli.js');
  if (options.build) {
    options.log('router: building dist/cli.js');
    await run(process.execPath, [path.join(options.root, 'scripts/build.mjs')], options.root);
  }
  if (!existsSync(cliPath)) return { skipped: 'dist/cli.js is not built (run npm run build, or drop --no-build)' };
  const items = readFileSync(path.join(options.root, 'eval/router/requests.jsonl'), 'utf8').trim().split('\n');
  const lines: string[] = [];
  for (let i = 0; i < CLI_PROMPTS; i++) {
    const item = JSON.parse(items[i % items.length]!) as { prompt: string; history?: unknown };
    lines.push(JSON.stringify({ prompt: item.prompt, ...(item.history ? { history: item.history } : {}) }));
  }
  const input = `${lines.join('\n')}\n`;
  options.log(`router: ${CLI_PROMPTS} prompts (${(input.length / 1024 / 1024).toFixed(1)} MiB) through switchboard route --jsonl`);
  const start = performance.now();
  const output = await run(process.execPath, [cliPath, 'route', '--jsonl'], options.root, input, { PATH: process.env.PATH ?? '' });
  const seconds = (performance.now() - start) / 1000;
  const outputLines = output.trim().split('\n').length;
  if (outputLines !== CLI_PROMPTS) throw new Error(`switchboard route --jsonl wrote ${outputLines} lines for ${CLI_PROMPTS} prompts`);
  return { prompts: CLI_PROMPTS, inputBytes: Buffer.byteLength(input), seconds: Number(seconds.toFixed(3)), promptsPerSecond: Math.round(CLI_PROMPTS / seconds) };
}

function run(command: string, args: string[], cwd: string, stdin?: string, env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err}`))));
    child.stdin.end(stdin ?? '');
  });
}

export function printRouterBench(report: RouterBenchReport): string {
  const rows: string[][] = [];
  for (const shape of report.shapes) {
    rows.push(summaryRow(`${shape.shape} (${(shape.chars / 1000).toFixed(0)}k chars): Switchboard`, shape.switchboard));
    rows.push(summaryRow('  naive regex scorer', shape.naive));
    rows.push(summaryRow('  prompt-length router', shape.length));
  }
  const decisions = report.shapes.map((shape) => `  ${shape.shape}: ${shape.decision}`).join('\n');
  const cli = 'seconds' in report.cli
    ? `switchboard route --jsonl: ${report.cli.prompts.toLocaleString('en-US')} prompts (${(report.cli.inputBytes / 1024 / 1024).toFixed(1)} MiB) in ${report.cli.seconds.toFixed(2)} s (${report.cli.promptsPerSecond.toLocaleString('en-US')} prompts/s, process start included)`
    : `switchboard route --jsonl: skipped (${report.cli.skipped})`;
  return (
    `\n== Auto routing: scoring a request (ms) ==\n${table(SUMMARY_HEADERS, rows)}\n` +
    `model decode on first use: median ${report.modelDecodeMs.median.toFixed(3)} ms\n${cli}\ndecisions:\n${decisions}`
  );
}
