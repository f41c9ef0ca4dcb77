/**
 * A real Switchboard routed to the fake providers on loopback, for the router
 * and fault-matrix tests: the real registry, router, adapters and SDKs, a
 * ledger per harness, and the router's events. Registers its mocha hooks
 * where it is called.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../src/core/config';
import type { LedgerRecord } from '../../src/core/ledger';
import type { RouteResult, RouterEvent, RunOptions } from '../../src/core/router';
import { Switchboard } from '../../src/core/switchboard';
import type { ModelRequest, Task } from '../../src/core/types';
import { AWS_ENV } from '../fakes/awsEnv';
import { startFakeProviders, type FakeProviders } from '../fakes/index';

export const REQUEST: ModelRequest = {
  system: 'Answer briefly.',
  messages: [{ role: 'user', content: 'Which model answered this request?' }],
  maxTokens: 256,
};

export const KEYS = { OPENAI_API_KEY: 'test', ANTHROPIC_API_KEY: 'test', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
export const NOVA = 'us.amazon.nova-micro-v1:0';

export interface Harness {
  switchboard: Switchboard;
  events: RouterEvent[];
  ledgerPath: string;
  /** Runs one request and checks it added exactly one ledger line, equal to its record. */
  run(task: Task, options?: RunOptions & { request?: ModelRequest }): Promise<RouteResult & { chunks: string[] }>;
}

export interface OpenOptions {
  env?: Record<string, string>;
  /** The router's wall clock (times shown, days). */
  now?: () => number;
  /** The router's elapsed clock (cooldowns, latencies). */
  elapsed?: () => number;
  /** Told when a completion served without a request is counted. */
  onServed?: () => void;
}

export interface RouterHarness {
  readonly fakes: FakeProviders;
  readonly dir: string;
  /** Environment the registry sees: keys as given, and no AWS files it could find on this machine. */
  isolatedEnv(vars: Record<string, string>): NodeJS.ProcessEnv;
  open(raw: Record<string, unknown>, options?: OpenOptions): Promise<Harness>;
  readLedger(file: string): Promise<LedgerRecord[]>;
}

export function routerHarness(name: string): RouterHarness {
  let fakes: FakeProviders | undefined;
  let dir = '';
  let awsDir = '';
  let savedEnv: Record<string, string | undefined> = {};
  let ledgerCount = 0;
  /** Every Switchboard opened, disposed after the suite. */
  const opened: Switchboard[] = [];

  const isolatedEnv = (vars: Record<string, string>): NodeJS.ProcessEnv => ({
    AWS_CONFIG_FILE: path.join(awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
    ...vars,
  });

  async function readLedger(file: string): Promise<LedgerRecord[]> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as LedgerRecord);
  }

  const harness: RouterHarness = {
    get fakes() {
      assert.ok(fakes, 'the fakes run inside the describe block that made the harness');
      return fakes;
    },
    get dir() {
      return dir;
    },
    isolatedEnv,
    readLedger,
    async open(raw, options = {}) {
      const urls = harness.fakes.urls;
      const { config, problems } = resolveConfig({
        providers: { openai: urls.openai, anthropic: urls.anthropic, bedrock: urls.bedrock },
        // These tests are about the route's order and fallbacks; Auto's tiers have their own (test/core/routing).
        auto: { enabled: false },
        ...raw,
      });
      assert.deepEqual(problems, []);
      const events: RouterEvent[] = [];
      const ledgerPath = path.join(dir, `ledger-${++ledgerCount}.jsonl`);
      const switchboard = await Switchboard.create({
        config,
        source: 'cli',
        env: isolatedEnv(options.env ?? KEYS),
        ledgerPath,
        onEvent: (event) => events.push(event),
        ...(options.now ? { now: options.now } : {}),
        ...(options.elapsed ? { elapsed: options.elapsed } : {}),
        ...(options.onServed ? { onServed: options.onServed } : {}),
      });
      opened.push(switchboard);
      return {
        switchboard,
        events,
        ledgerPath,
        async run(task, runOptions = {}) {
          const before = await readLedger(ledgerPath);
          const chunks: string[] = [];
          const { request = REQUEST, ...rest } = runOptions;
          const result = await switchboard.router.run(task, request, {
            ...rest,
            onText: (text) => {
              chunks.push(text);
              rest.onText?.(text);
            },
          });
          await switchboard.ledger.flush();
          const after = await readLedger(ledgerPath);
          assert.equal(after.length, before.length + 1, 'one ledger line per request');
          assert.deepEqual(after.at(-1), JSON.parse(JSON.stringify(result.record)));
          return { ...result, chunks };
        },
      };
    },
  };

  before(async function () {
    this.timeout(60_000);
    fakes = await startFakeProviders();
    dir = await mkdtemp(path.join(tmpdir(), `switchboard-${name}-`));
    awsDir = await mkdtemp(path.join(tmpdir(), `switchboard-${name}-aws-`));
    savedEnv = Object.fromEntries(AWS_ENV.map((variable) => [variable, process.env[variable]]));
    for (const variable of AWS_ENV) delete process.env[variable];
    process.env.AWS_CONFIG_FILE = path.join(awsDir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(awsDir, 'credentials');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_ACCESS_KEY_ID = KEYS.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = KEYS.AWS_SECRET_ACCESS_KEY;
    await warmUp();
  });

  /**
   * One answer from each provider's adapter before any test. The first request of a process loads
   * more than the SDK the router waits for before its first-token watchdog starts (fetch's own code,
   * the SDKs' lazily loaded parts, the AWS signer and HTTP/2): on a busy machine that alone took
   * longer than the 200 to 300 ms these tests give a first token, so a test run by itself could see
   * its fallback time out too. The tests time the providers, not this process warming up.
   */
  async function warmUp(): Promise<void> {
    const { switchboard } = await harness.open({});
    const models = { openai: 'gpt-5.4-nano', anthropic: 'claude-haiku-4-5', bedrock: NOVA } as const;
    for (const [provider, model] of Object.entries(models)) {
      const adapter = await switchboard.registry.adapter(provider);
      // Read to its end; a failure throws, naming what to fix before any test runs.
      for await (const event of adapter.stream(model, REQUEST, new AbortController().signal)) void event;
    }
    for (const fake of [harness.fakes.openai, harness.fakes.anthropic, harness.fakes.bedrock]) fake.reset();
  }
  afterEach(() => {
    fakes?.openai.reset();
    fakes?.anthropic.reset();
    fakes?.bedrock.reset();
  });
  after(async () => {
    // Their ledgers and served counts are written in the background: out before the folder goes.
    await Promise.all(opened.splice(0).map((switchboard) => switchboard.dispose()));
    await fakes?.close();
    for (const [variable, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[variable];
      else process.env[variable] = value;
    }
    await rm(dir, { recursive: true, force: true });
    await rm(awsDir, { recursive: true, force: true });
  });

  return harness;
}
