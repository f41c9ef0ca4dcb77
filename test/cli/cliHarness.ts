/**
 * Builds the CLI bundle and runs it as a user would: `node dist/cli.js ...`
 * in a child process with an environment of the test's choosing.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = path.resolve(__dirname, '../..');

/**
 * Builds with the project's build script and returns the path of cli.js.
 * When that fails for a reason outside the CLI (another bundle mid-edit),
 * the CLI and provider bundles alone are built the same way into a temp
 * folder, so the CLI suite still tests a real bundle.
 */
export async function buildCli(): Promise<string> {
  try {
    await run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot });
    const built = path.join(repoRoot, 'dist', 'cli.js');
    if (existsSync(built) && existsSync(path.join(repoRoot, 'dist', 'providers', 'openai.js'))) return built;
    throw new Error('scripts/build.mjs did not write dist/cli.js and dist/providers/*.js');
  } catch (scriptError) {
    try {
      return await buildCliAlone();
    } catch (alone) {
      throw new Error(`could not build the CLI:\n${describe(scriptError)}\n--- building it alone:\n${describe(alone)}`);
    }
  }
}

async function buildCliAlone(): Promise<string> {
  const outdir = await mkdtemp(path.join(tmpdir(), 'switchboard-cli-build-'));
  // Mirrors scripts/build.mjs: provider adapters are separate bundles loaded at run time.
  const script = `
    import * as esbuild from 'esbuild';
    import path from 'node:path';
    const outdir = ${JSON.stringify(outdir)};
    const lazyProviders = {
      name: 'lazy-providers',
      setup(build) {
        build.onResolve({ filter: /^\\.\\/providers\\/(openai|anthropic|bedrock)$/ }, (args) => {
          if (!args.importer.endsWith(path.join('core', 'providerRegistry.ts'))) return undefined;
          return { path: './providers/' + path.basename(args.path) + '.js', external: true };
        });
      },
    };
    const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node22', logLevel: 'error', external: ['vscode'], plugins: [lazyProviders] };
    await esbuild.build({ ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir });
    await esbuild.build({ ...node, entryPoints: { openai: 'src/core/providers/openai.ts', anthropic: 'src/core/providers/anthropic.ts', bedrock: 'src/core/providers/bedrock.ts' }, outdir: path.join(outdir, 'providers') });
  `;
  await run(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot });
  return path.join(outdir, 'cli.js');
}

function describe(error: unknown): string {
  const failed = error as { stderr?: string; message?: string };
  return (failed.stderr || failed.message || String(error)).trim();
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env: NodeJS.ProcessEnv;
  stdin?: string;
  cwd?: string;
}

/** Starts the CLI; the caller may signal it before collecting the result with `finished`. */
export function startCli(cli: string, args: string[], options: CliOptions): { child: ChildProcess; finished: Promise<CliRun> } {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  else child.stdin!.end();
  const finished = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, finished };
}

export function runCli(cli: string, args: string[], options: CliOptions): Promise<CliRun> {
  return startCli(cli, args, options).finished;
}
