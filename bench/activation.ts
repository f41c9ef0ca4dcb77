/**
 * Section 3: the size of the bundles and the time to load and activate the
 * extension, with the provider SDKs kept out of the activation path.
 *
 * Builds with `node scripts/build.mjs --release` (unless --no-build), reads
 * dist/meta.json (esbuild's merged metafile) to check that no SDK file is an
 * input of dist/extension.js, then starts fresh plain-Node processes that load
 * dist/extension.js with a stand-in `vscode` module and run activate()
 * (bench/activationProbe.mjs). Activation inside real VS Code is measured by
 * the e2e harness, not here.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Check, kib, SUMMARY_HEADERS, summaryRow, table } from './report';
import { rounded, summarize, type Summary } from './stats';

export interface ActivationOptions {
  root: string;
  runs: number;
  build: boolean;
  log: (line: string) => void;
}

export interface BundleSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface ActivationReport {
  method: string;
  build: { command: string; seconds: number } | { skipped: true; builtAt: string };
  bundles: BundleSize[];
  extensionInputs: {
    count: number;
    /** Inputs of dist/extension.js from node_modules/openai, @anthropic-ai/sdk, @aws-sdk or @smithy: must be none. */
    sdkInputs: string[];
    /** Bytes in the output by package (node_modules/NAME) or source folder. */
    byPackage: Array<{ source: string; bytesInOutput: number }>;
    /** The largest inputs by bytes in the output. */
    largest: Array<{ input: string; bytesInOutput: number }>;
  };
  runs: number;
  /** require('dist/extension.js') */
  requireMs: Summary;
  /** await activate(context) */
  activateMs: Summary;
  /** require + activate */
  requireAndActivateMs: Summary;
  /** From the process's start (Node's own startup included) to the end of activate(). */
  processStartToActivatedMs: Summary;
  /** Loading dist/providers/openai.js afterwards: what the first completion pays once, kept out of activation. */
  openaiProviderLoadMs: Summary;
  /** Runs in which some dist/providers/*.js or SDK file was in require.cache after activation. */
  runsWithProvidersLoaded: number;
  checks: Check[];
}

const SDK_INPUT = /node_modules\/(?:openai|@anthropic-ai\/sdk|@aws-sdk|@smithy)\//;

interface ProbeResult {
  requireMs: number;
  activateMs: number;
  totalMs: number;
  sinceProcessStartMs: number;
  providersLoaded: string[];
  sdkLoaded: string[];
  openaiProviderRequireMs: number;
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

export async function runActivation(options: ActivationOptions): Promise<ActivationReport> {
  const { root, log } = options;
  const dist = path.join(root, 'dist');
  let build: ActivationReport['build'];
  if (options.build) {
    log('activation: node scripts/build.mjs --release');
    const start = performance.now();
    const { NODE_OPTIONS: _loaders, ...buildEnv } = process.env;
    const result = await run(process.execPath, ['scripts/build.mjs', '--release'], { cwd: root, env: buildEnv });
    if (result.code !== 0) throw new Error(`release build failed (exit ${result.code}):\n${result.stderr || result.stdout}`);
    build = { command: 'node scripts/build.mjs --release', seconds: Number(((performance.now() - start) / 1000).toFixed(1)) };
  } else {
    if (!existsSync(path.join(dist, 'extension.js'))) throw new Error('dist/extension.js is missing: build first, or drop --no-build');
    build = { skipped: true, builtAt: statSync(path.join(dist, 'extension.js')).mtime.toISOString() };
  }

  const bundles = bundleSizes(dist);
  const meta = JSON.parse(readFileSync(path.join(dist, 'meta.json'), 'utf8')) as Metafile;
  const extension = meta.outputs['dist/extension.js'];
  if (!extension) throw new Error('dist/meta.json has no output dist/extension.js');
  const inputs = Object.entries(extension.inputs);
  const sdkInputs = inputs.map(([input]) => input).filter((input) => SDK_INPUT.test(input));
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of inputs) {
    const parts = input.split('/');
    const source = parts[0] === 'node_modules' ? parts.slice(0, parts[1]?.startsWith('@') ? 3 : 2).join('/') : parts.slice(0, 2).join('/');
    byPackage.set(source, (byPackage.get(source) ?? 0) + bytesInOutput);
  }
  const largest = inputs
    .map(([input, { bytesInOutput }]) => ({ input, bytesInOutput }))
    .sort((a, b) => b.bytesInOutput - a.bytesInOutput)
    .slice(0, 8);

  const home = await mkdtemp(path.join(tmpdir(), 'switchboard-activation-'));
  const probe = path.join(root, 'bench', 'activationProbe.mjs');
  // A clean environment: no NODE_OPTIONS or loaders from the bench's own tsx process, a throwaway ledger and home.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    SWITCHBOARD_LEDGER: path.join(home, 'ledger.jsonl'),
    OPENAI_API_KEY: 'bench-not-a-key',
    ANTHROPIC_API_KEY: 'bench-not-a-key',
  };
  const results: ProbeResult[] = [];
  const processMs: number[] = [];
  const warmup = 2;
  try {
    log(`activation: ${options.runs} fresh processes (+${warmup} warm-up)`);
    for (let i = 0; i < options.runs + warmup; i++) {
      const start = performance.now();
      const result = await run(process.execPath, [probe, dist], { cwd: root, env });
      const elapsed = performance.now() - start;
      if (result.code !== 0) throw new Error(`activation probe failed (exit ${result.code}):\n${result.stderr}`);
      if (i < warmup) continue;
      results.push(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as ProbeResult);
      processMs.push(elapsed);
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }

  const runsWithProvidersLoaded = results.filter((r) => r.providersLoaded.length > 0 || r.sdkLoaded.length > 0).length;
  const of = (pick: (r: ProbeResult) => number) => rounded(summarize(results.map(pick)), 2);
  const requireAndActivate = of((r) => r.totalMs);
  return {
    method:
      'Release build (minified) sizes from the files, gzip for reference. SDK check from dist/meta.json: the inputs esbuild bundled into dist/extension.js. ' +
      `Activation: ${options.runs} fresh plain-Node processes (after ${warmup} unmeasured), each loading dist/extension.js with a stand-in vscode module (bench/activationProbe.mjs, injected through Module._resolveFilename and require.cache), timing require and activate(), then listing require.cache. ` +
      'Real-VS-Code activation time comes from the e2e harness, not from here.',
    build,
    bundles,
    extensionInputs: {
      count: inputs.length,
      sdkInputs,
      byPackage: [...byPackage].map(([source, bytesInOutput]) => ({ source, bytesInOutput })).sort((a, b) => b.bytesInOutput - a.bytesInOutput),
      largest,
    },
    runs: results.length,
    requireMs: of((r) => r.requireMs),
    activateMs: of((r) => r.activateMs),
    requireAndActivateMs: requireAndActivate,
    processStartToActivatedMs: of((r) => r.sinceProcessStartMs),
    openaiProviderLoadMs: of((r) => r.openaiProviderRequireMs),
    runsWithProvidersLoaded,
    checks: [
      {
        name: 'no provider SDK file is an input of dist/extension.js',
        pass: sdkInputs.length === 0,
        detail: sdkInputs.length === 0 ? `${inputs.length} inputs, none from openai, @anthropic-ai/sdk, @aws-sdk, @smithy` : sdkInputs.slice(0, 5).join(', '),
      },
      {
        name: 'after activation no dist/providers/*.js, dist/routing.js (Auto\'s scorer) nor SDK file is in require.cache',
        pass: runsWithProvidersLoaded === 0,
        detail: `${results.length - runsWithProvidersLoaded} of ${results.length} runs clean${runsWithProvidersLoaded ? `; loaded: ${results.find((r) => r.providersLoaded.length || r.sdkLoaded.length)?.providersLoaded.join(', ')}` : ''}`,
      },
      {
        name: 'activation (require + activate) measured',
        pass: results.length === options.runs,
        detail: `median ${requireAndActivate.median} ms, p99 ${requireAndActivate.p99} ms in plain Node with a stand-in vscode; real VS Code: see the e2e harness`,
      },
    ],
  };
}

function bundleSizes(dist: string): BundleSize[] {
  const files = ['extension.js', 'cli.js', 'routing.js'];
  const providers = path.join(dist, 'providers');
  if (existsSync(providers)) files.push(...readdirSync(providers).filter((f) => f.endsWith('.js')).sort().map((f) => `providers/${f}`));
  files.push('webview/chat.js');
  return files
    .filter((file) => existsSync(path.join(dist, file)))
    .map((file) => {
      const content = readFileSync(path.join(dist, file));
      return { file: `dist/${file}`, bytes: content.length, gzipBytes: gzipSync(content).length };
    });
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export function printActivation(report: ActivationReport): string {
  const build = 'command' in report.build ? `${report.build.command} (${report.build.seconds} s)` : `existing build from ${report.build.builtAt}`;
  return [
    '',
    `== 3. Bundle size and activation (${build}) ==`,
    table(
      ['bundle', 'size', 'gzip'],
      report.bundles.map((bundle) => [bundle.file, kib(bundle.bytes), kib(bundle.gzipBytes)]),
    ),
    `dist/extension.js: ${report.extensionInputs.count} inputs, SDK inputs: ${report.extensionInputs.sdkInputs.length === 0 ? 'none' : report.extensionInputs.sdkInputs.join(', ')}; ` +
      `by source: ${report.extensionInputs.byPackage.slice(0, 5).map((p) => `${p.source} ${kib(p.bytesInOutput)}`).join(', ')}`,
    `activation in plain Node with a stand-in vscode, ${report.runs} fresh processes; ms (real VS Code: from the e2e harness)`,
    table(SUMMARY_HEADERS, [
      summaryRow('require dist/extension.js', report.requireMs, 2),
      summaryRow('activate()', report.activateMs, 2),
      summaryRow('require + activate', report.requireAndActivateMs, 2),
      summaryRow('process start → activated', report.processStartToActivatedMs, 2),
      summaryRow('later: first load of providers/openai.js', report.openaiProviderLoadMs, 2),
    ]),
    `after activation, runs with a provider bundle or SDK file in require.cache: ${report.runsWithProvidersLoaded} of ${report.runs}`,
  ].join('\n');
}
