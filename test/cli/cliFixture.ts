/**
 * The setting the built-CLI tests share: the bundle built once, the fake providers on 127.0.0.1, a temp folder
 * with an empty HOME (nothing from the developer's own keys, AWS files or ledger) and a --config file that points
 * every provider at the fakes.
 *
 * Call `useCliFixture()` inside a describe: it registers that describe's hooks, which start its own fakes and temp
 * folder and set the bindings below. A describe that needs only some of it (the CLI run in-process, a config of its
 * own) calls the parts: `useBuiltCli()`, `useFakeProviders()`, `useTempFolder(prefix)`. They are live bindings (`export let`), so a test reads them as plain names
 * (`fakes.openai`, `keyedEnv`, `ask([...])`) once the hooks have run; test files run one after another, so each
 * describe sees its own.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger';
import { startFakeProviders, type FakeProviders } from '../fakes/index';
import { buildCli, runCli, type CliRun } from './cliHarness';

export const NOVA = 'us.amazon.nova-micro-v1:0';

/** The built `dist/cli.js`. */
export let cli: string;
export let fakes: FakeProviders;
/** The describe's temp folder: HOME is `home` in it, and tests write their files and ledgers here. */
export let dir: string;
/** Routes chat to openai then anthropic and plan to anthropic, all at the fakes, with Auto off. */
export let configFile: string;
/** No keys, no AWS files, a HOME of its own. */
export let baseEnv: NodeJS.ProcessEnv;
/** `baseEnv` with a key for each provider. */
export let keyedEnv: NodeJS.ProcessEnv;

/**
 * The whole environment of a CLI run with nothing of this machine's in it: no key, no AWS files, a HOME of the test's
 * own (`home`). `extra` is what a test adds, or takes out (a name set to undefined is left out of the result); it comes
 * after, so it can also replace one of these.
 *
 * - HOME: the test's folder, not the developer's. The built CLI takes it as its whole home (os.homedir() too); run in
 *   this process, only the code that reads `env.HOME` sees it (~/.aws endpoints, AWS files in a workspace), while
 *   os.homedir() (the default ledger) stays the developer's: give those runs --ledger.
 * - AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: files that do not exist (`no-aws-…` in `home`), so the Bedrock
 *   check (and, in the built CLI, the AWS SDK) does not read the developer's ~/.aws, which would make Bedrock look set
 *   up.
 * - AWS_EC2_METADATA_DISABLED: so the AWS SDK's credential chain does not ask the EC2 metadata service (a wait, and
 *   credentials on a cloud machine). Only the built CLI's SDK reads it from here: in this process the SDK reads
 *   process.env (see doctor.test.ts), and nothing in src reads it.
 * - No PATH and no XDG_DATA_HOME, unlike `baseEnv`: a test that wants them adds them in `extra`.
 */
export function bareEnvIn(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return env;
}

let ledgerCount = 0;
/** A ledger path nothing has written yet. */
export const newLedger = () => path.join(dir, `ledger-${++ledgerCount}.jsonl`);

/** Runs `switchboard ask` with the fake-backed config, the keys in its environment, and a fresh ledger. */
export async function ask(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  const ledger = newLedger();
  const result = await runCli(cli, ['ask', '--config', configFile, '--ledger', ledger, ...args], {
    env: options.env ?? keyedEnv,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
  });
  return { ...result, ledger };
}

/** Registers the calling describe's build of `dist/cli.js` (once per run; later describes reuse it), setting `cli`. */
export function useBuiltCli(): void {
  before(async function () {
    // The build runs once, here; it bundles the SDKs.
    this.timeout(60_000);
    cli = await buildCli();
  });
}

/** Registers the calling describe's own fake providers on 127.0.0.1, setting `fakes`; each is reset after each test. */
export function useFakeProviders(): void {
  let started: FakeProviders | undefined;
  before(async () => {
    started = await startFakeProviders();
    fakes = started;
  });
  afterEach(() => {
    started?.openai.reset();
    started?.anthropic.reset();
    started?.bedrock.reset();
  });
  after(async () => {
    await started?.close();
  });
}

/** Registers the calling describe's own temp folder, `switchboard-<prefix>-…`, setting `dir`; removed after it. */
export function useTempFolder(prefix: string): void {
  let made: string | undefined;
  before(async () => {
    made = await mkdtemp(path.join(tmpdir(), `switchboard-${prefix}-`));
    dir = made;
  });
  after(async () => {
    if (made) await rm(made, { recursive: true, force: true });
  });
}

/**
 * Registers the hooks of the calling describe: build, fakes and temp folder before, fakes reset after each test.
 * Its tests spawn a Node process or two each: give the describe `this.timeout(20_000)`.
 */
export function useCliFixture(): void {
  useBuiltCli();
  useFakeProviders();
  useTempFolder('cli');
  before(async () => {
    const home = path.join(dir, 'home');
    await mkdir(home);
    // Nothing from the developer's own setup: no keys, no AWS files, no ledger.
    baseEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_HOME: path.join(home, 'data'),
      AWS_CONFIG_FILE: path.join(home, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    keyedEnv = {
      ...baseEnv,
      OPENAI_API_KEY: 'test',
      ANTHROPIC_API_KEY: 'test',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
    };
    configFile = path.join(dir, 'switchboard.json');
    await writeFile(
      configFile,
      JSON.stringify({
        routes: {
          chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'],
          plan: ['anthropic:claude-sonnet-5'],
        },
        providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic, bedrock: fakes.urls.bedrock },
        // These tests are about ask's routes as listed; Auto's tiers are tested with the router and in the editor.
        auto: { enabled: false },
      }),
    );
  });
}

/** A ledger line as the CLI writes it, with the fields a test sets. */
export function ledgerRecord(time: Date, fields: Partial<LedgerRecord>): LedgerRecord {
  return {
    v: 1,
    time: time.toISOString(),
    task: 'chat',
    provider: 'anthropic',
    model: 'claude-sonnet-5',
    requestedModel: 'anthropic:claude-sonnet-5',
    usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 },
    usageEstimated: false,
    costUsd: 0.01,
    latencyMs: 900,
    firstTokenMs: 300,
    outcome: 'ok',
    attempts: [],
    source: 'cli',
    ...fields,
  };
}

export async function readLedger(file: string): Promise<LedgerRecord[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LedgerRecord);
}

/** The one line of a failed run's stderr. */
export function oneErrorLine(result: CliRun): string {
  const lines = result.stderr.split('\n').filter((line) => line);
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^switchboard: /);
  return lines[0]!;
}
