import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AWS_ENV } from '../fakes/awsEnv';
import { closedPort } from '../fakes/closedPort';
import { fakeKeys } from '../fakes/fakeKeys';
import { startFakeOpenAI, startFakeProviders, type FakeProviders } from '../fakes/index';
import { bareEnvIn, dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/** Every 5-character piece of `key` after its prefix: none may appear in what doctor prints. */
function keyPieces(key: string, prefix: string): string[] {
  const body = key.slice(prefix.length);
  return Array.from({ length: body.length - 4 }, (_, at) => body.slice(at, at + 5));
}

function assertNoKey(output: string, key: string, prefix: string): void {
  for (const piece of keyPieces(key, prefix)) assert.ok(!output.includes(piece), `"${piece}" of the key was printed:\n${output}`);
}

describe('switchboard doctor', function () {
  this.timeout(20_000);
  let fakes: FakeProviders;
  const savedAws: Record<string, string | undefined> = {};
  const openaiKey = fakeKeys.openai('qx7');
  const anthropicKey = fakeKeys.anthropic('qx7');
  const awsKeyId = fakeKeys.awsAccessKeyId('qx7');
  const awsSecret = fakeKeys.awsSecretAccessKey('qx7');

  useTempFolder('doctor');
  before(async () => {
    // Bedrock's credential chain reads the process's own environment, not the one the CLI is handed.
    for (const name of AWS_ENV) savedAws[name] = process.env[name];
  });
  beforeEach(async () => {
    // Listing the default routes' OpenAI models: doctor flags a route model its server does not list.
    fakes = await startFakeProviders({ openai: { apiKey: openaiKey, models: ['gpt-5.4-nano', 'gpt-5.4', 'gpt-5.5', 'gpt-5-mini'] }, anthropic: { apiKey: anthropicKey } });
    for (const name of AWS_ENV) delete process.env[name];
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_CONFIG_FILE = path.join(dir, 'no-aws-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-aws-credentials');
  });
  afterEach(async () => {
    await fakes.close();
    for (const name of AWS_ENV) {
      if (savedAws[name] === undefined) delete process.env[name];
      else process.env[name] = savedAws[name];
    }
  });

  /**
   * An environment with no key, no AWS setup and a home of its own; as it always was here, with XDG_DATA_HOME and
   * without AWS_EC2_METADATA_DISABLED (this file sets that in process.env, where the SDK in this process reads it).
   */
  const bareEnv = (): NodeJS.ProcessEnv => bareEnvIn(dir, { XDG_DATA_HOME: path.join(dir, 'data'), AWS_EC2_METADATA_DISABLED: undefined });

  async function configFile(name: string, content: unknown): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(content));
    return file;
  }

  it('says where each key and server came from, that each answers, and prints no character of any key', async () => {
    process.env.AWS_ACCESS_KEY_ID = awsKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = awsSecret;
    const config = await configFile('all.json', { providers: { anthropic: fakes.urls.anthropic, bedrock: { endpoint: fakes.urls.bedrock.endpoint, region: 'eu-west-3' } } });
    const ledger = path.join(dir, 'fresh', 'ledger.jsonl');
    const env = { ...bareEnv(), OPENAI_API_KEY: openaiKey, ANTHROPIC_API_KEY: anthropicKey, OPENAI_BASE_URL: fakes.urls.openai.baseUrl, AWS_ACCESS_KEY_ID: awsKeyId, AWS_SECRET_ACCESS_KEY: awsSecret };

    const result = await runInProcess(['doctor', '--config', config, '--ledger', ledger], { env });

    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout;
    // The fakes answer only with the right key: "yes" proves the key was found and sent.
    assert.match(out, /^openai: usable\n {2}credentials: API key from OPENAI_API_KEY\n {2}server: {6}http:\/\/127\.0\.0\.1:\d+\/v1 \(from OPENAI_BASE_URL\)\n {2}answers: {5}yes, lists \d+ models \(\d+ ms\)$/m);
    assert.match(out, new RegExp(`^anthropic: usable\\n {2}credentials: API key from ANTHROPIC_API_KEY\\n {2}server: {6}${fakes.urls.anthropic.baseUrl} \\(from providers\\.anthropic\\.baseUrl in ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\\n {2}answers: {5}yes, lists \\d+ models`, 'm'));
    assert.match(out, /^bedrock: usable\n {2}credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n {2}server: {6}http:\/\/127\.0\.0\.1:\d+ \(from providers\.bedrock\.endpoint in .*\)\n {2}region: {6}eu-west-3 \(from providers\.bedrock\.region in .*\)\n {2}answers: {5}yes, AWS credentials resolved for eu-west-3/m);
    assert.match(out, /^routes: every model named can be used$/m);
    assert.match(out, new RegExp(`^ledger: ${ledger.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(writable\\)$`, 'm'));
    assert.match(out, /^spent: \$0\.00 today \(0 requests\), \$0\.00 this month$/m);
    assert.match(out, /^budgets: none set/m);
    assert.equal(existsSync(path.dirname(ledger)), false, 'doctor creates neither the ledger nor its folder');
    assertNoKey(out + result.stderr, openaiKey, 'sk-proj-');
    assertNoKey(out + result.stderr, anthropicKey, 'sk-ant-api03-');
    assertNoKey(out + result.stderr, awsKeyId, 'AKIA');
    assertNoKey(out + result.stderr, awsSecret, '');
  });

  it('says whether a proxy in the environment is used, and which way Bedrock goes: through it over HTTP/1.1, or direct and why', async () => {
    const proxy = { HTTPS_PROXY: 'http://proxy.example:3128' };
    const doctor = (env: Record<string, string>, json = false) =>
      runInProcess(['doctor', '--ledger', path.join(dir, 'proxy.jsonl'), ...(json ? ['--json'] : [])], { env: { ...bareEnv(), ...env } });
    const ignored = await doctor(proxy);
    assert.match(ignored.stdout, /^proxy: HTTPS_PROXY is set, but Node sends requests directly unless NODE_USE_ENV_PROXY=1 is set too; Bedrock's as well$/m);
    const used = await doctor({ ...proxy, NODE_USE_ENV_PROXY: '1', NO_PROXY: 'localhost' });
    assert.match(
      used.stdout,
      /^proxy: OpenAI and Anthropic requests go through HTTPS_PROXY except to NO_PROXY's hosts \(localhost\); Bedrock's go through HTTPS_PROXY too, over HTTP\/1\.1 in a CONNECT tunnel \(the AWS SDK's HTTP\/2 connection takes no proxy\)$/m,
    );
    const bypassed = await doctor({ ...proxy, NODE_USE_ENV_PROXY: '1', NO_PROXY: '.amazonaws.com' });
    assert.match(bypassed.stdout, /; Bedrock goes directly, over HTTP\/2 \(NO_PROXY names bedrock-runtime\.us-east-1\.amazonaws\.com\)$/m);
    const none = await doctor({});
    assert.doesNotMatch(none.stdout, /^proxy:/m);

    const json = (result: { stdout: string }) => (JSON.parse(result.stdout) as { proxy: unknown }).proxy;
    assert.deepEqual(json(await doctor({ ...proxy, NODE_USE_ENV_PROXY: '1', NO_PROXY: 'localhost' }, true)), {
      variable: 'HTTPS_PROXY',
      used: true,
      noProxy: 'localhost',
      bedrock: { via: 'proxy', protocol: 'http/1.1', from: 'HTTPS_PROXY' },
      line: used.stdout.split('\n').find((line) => line.startsWith('proxy: ')),
    });
    assert.deepEqual((json(await doctor(proxy, true)) as { bedrock: unknown }).bedrock, {
      via: 'direct',
      protocol: 'h2',
      reason: 'Node reads the proxy variables only under NODE_USE_ENV_PROXY=1',
    });
    assert.equal(json(await doctor({}, true)), null, 'no proxy set: null');
  });

  it('exits 1 when nothing can answer, naming each missing credential and the routes that cannot be served', async () => {
    const result = await runInProcess(['doctor', '--ledger', path.join(dir, 'none.jsonl')], { env: bareEnv() });

    assert.equal(result.code, 1);
    assert.match(result.stdout, /^openai: not usable\n {2}credentials: no openai API key: set OPENAI_API_KEY\n {2}server: {6}https:\/\/api\.openai\.com\/v1 \(default\)\n {2}answers: {5}not asked \(not usable\)$/m);
    assert.match(result.stdout, /^bedrock: not usable\n {2}credentials: no AWS credentials: /m);
    assert.match(result.stdout, /^ {2}region: {6}us-east-1 \(default\)$/m);
    // A line per task, the providers grouped: their reasons are in their own lines above, said once.
    assert.match(result.stdout, /^routes:\n {2}completion: no request can be made: all 3 models out \(openai: not usable; anthropic: not usable; bedrock: not usable\)\n {2}chat: {7}no request can be made: all 3 models out \(anthropic: not usable; openai: not usable; bedrock: not usable\)\n {2}plan: {7}no request can be made: all 3 models out \(anthropic: not usable; openai: not usable; bedrock: not usable\)\n {2}\(each model that is out and why: switchboard doctor --verbose\)$/m);
    assert.equal(result.stdout.match(/ANTHROPIC_API_KEY/g)?.length, 2, 'the missing key is said in anthropic\'s lines and the last line, not once per model');
    assert.match(result.stdout, /^Nothing can answer: set OPENAI_API_KEY or ANTHROPIC_API_KEY, AWS credentials for Bedrock, or use a local server: /m);

    const verbose = await runInProcess(['doctor', '--verbose', '--ledger', path.join(dir, 'none.jsonl')], { env: bareEnv() });
    assert.equal(verbose.code, 1);
    assert.match(verbose.stdout, /^routes:\n {2}completion: no request can be made/m);
    assert.match(verbose.stdout, /^routes naming a provider that cannot answer:$/m);
    // Each provider's reason once, the route entries it takes out under it.
    assert.match(verbose.stdout, /^ {2}anthropic cannot be used: no anthropic API key: set ANTHROPIC_API_KEY\n( {4}(completion|chat|plan): anthropic:\S+\n){3}/m);
    assert.equal(verbose.stdout.match(/^ {4}(completion|chat|plan): [a-z]+:/gm)?.length, 9, 'a line per task and provider: 3 tasks, 3 providers');
    assert.doesNotMatch(verbose.stdout, /doctor --verbose\)/);
  });

  it("names Bedrock's profile key in the --config file given, not in \"a --config file\"", async () => {
    const config = await configFile('team.json', { routes: { chat: ['bedrock:us.amazon.nova-micro-v1:0'] } });
    const given = await runInProcess(['doctor', '--config', config, '--ledger', path.join(dir, 'none.jsonl')], { env: bareEnv() });
    assert.match(given.stdout, new RegExp(`^bedrock: not usable\\n {2}credentials: no AWS credentials: .*; or set providers\\.bedrock\\.profile in ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    const none = await runInProcess(['doctor', '--ledger', path.join(dir, 'none.jsonl')], { env: bareEnv() });
    assert.match(none.stdout, /^ {2}credentials: no AWS credentials: .*; or set providers\.bedrock\.profile in a --config file$/m);
  });

  it('names the model each task tries first when some of its route is out, the providers of the others, and counts them', async () => {
    const config = await configFile('partial.json', { routes: { chat: ['anthropic:claude-sonnet-5', 'openai:gpt-5.4'], plan: ['openai:gpt-5.5'] } });
    const env = { ...bareEnv(), OPENAI_BASE_URL: fakes.urls.openai.baseUrl, OPENAI_API_KEY: openaiKey };
    const result = await runInProcess(['doctor', '--config', config, '--ledger', path.join(dir, 'partial.jsonl')], { env });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^routes:\n {2}completion: openai:gpt-5\.4-nano first; 2 of 3 models out \(anthropic: not usable; bedrock: not usable\)\n {2}chat: {7}openai:gpt-5\.4 first; 1 of 2 models out \(anthropic: not usable\)\n {2}plan: {7}openai:gpt-5\.5 first; its one model can be used\n/m);
    const json = await runInProcess(['doctor', '--config', config, '--ledger', path.join(dir, 'partial.jsonl'), '--json'], { env });
    assert.deepEqual((JSON.parse(json.stdout) as { tasks: unknown }).tasks, [
      { task: 'completion', models: 3, firstUsable: 'openai:gpt-5.4-nano' },
      { task: 'chat', models: 2, firstUsable: 'openai:gpt-5.4' },
      { task: 'plan', models: 1, firstUsable: 'openai:gpt-5.5' },
    ]);
  });

  it('says which route models a local server does not list, before a request is answered "model not found", and how to route to its own', async () => {
    const ollama = await startFakeOpenAI({ models: ['llama3.1:8b', 'qwen2.5-coder:1.5b'] });
    try {
      const url = `${ollama.url}/v1`;
      const config = await configFile('ollama.json', { routes: { chat: ['openai:llama3.1:8b', 'openai:gpt-5.4'] } });
      const result = await runInProcess(['doctor', '--config', config, '--ledger', path.join(dir, 'ollama.jsonl')], { env: { ...bareEnv(), OPENAI_BASE_URL: url } });

      assert.equal(result.code, 0, 'the server answers');
      assert.match(result.stdout, /^ {2}completion: no request can be made: all 3 models out \(openai: its server does not list gpt-5\.4-nano; anthropic: not usable; bedrock: not usable\)$/m);
      assert.match(result.stdout, /^ {2}chat: {7}openai:llama3\.1:8b first; 1 of 2 models out \(openai: its server does not list gpt-5\.4\)$/m);
      assert.match(result.stdout, new RegExp(`^Some routes name models the server does not list: "switchboard models --base-url ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" lists what it serves`, 'm'));
      const verbose = await runInProcess(['doctor', '--config', config, '--ledger', path.join(dir, 'ollama.jsonl'), '--verbose', '--json'], { env: { ...bareEnv(), OPENAI_BASE_URL: url } });
      const report = JSON.parse(verbose.stdout) as { routes: { task: string; model: string; problem: string; unlisted?: boolean }[] };
      assert.deepEqual(report.routes.find((entry) => entry.task === 'chat'), {
        task: 'chat',
        model: 'openai:gpt-5.4',
        problem: `openai's server (${url}) does not list gpt-5.4: a request would be answered "model not found"`,
        unlisted: true,
      });
    } finally {
      await ollama.close();
    }
  });

  it('reports a server that refuses the key without quoting any of it, and the routes that depend on it', async () => {
    // OpenAI's real 401 quotes the key it was given, masked but for its last characters.
    const refusing = http.createServer((request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `Incorrect API key provided: sk-proj-${'*'.repeat(20)}${openaiKey.slice(-4)}. Also ${openaiKey}.`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/v1`;
      const config = await configFile('refusing.json', { providers: { openai: { baseUrl: url } }, routes: { chat: ['openai:gpt-5-mini'] } });
      const result = await runInProcess(['doctor', '--config', config, '--ledger', path.join(dir, 'refused.jsonl'), '--json'], { env: { ...bareEnv(), OPENAI_API_KEY: openaiKey } });

      assert.equal(result.code, 1, 'the only provider with a key refused it');
      const report = JSON.parse(result.stdout) as { providers: { id: string; answer: { state: string; detail: string } }[]; routes: { task: string; model: string; problem: string }[]; anyAnswered: boolean };
      const openai = report.providers.find((check) => check.id === 'openai')!;
      assert.equal(openai.answer.state, 'failed');
      assert.match(openai.answer.detail, /401/);
      assert.ok(report.routes.some((route) => route.task === 'chat' && route.model === 'openai:gpt-5-mini' && /^openai did not answer: .*401/.test(route.problem)), JSON.stringify(report.routes));
      assertNoKey(result.stdout + result.stderr, openaiKey, 'sk-proj-');
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  it('says a server that is down could not be reached, and --json keeps the same keys', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const result = await runInProcess(['doctor', '--ledger', path.join(dir, 'down.jsonl'), '--json'], { env: { ...bareEnv(), OPENAI_BASE_URL: url } });

    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as Record<string, unknown> & { providers: { id: string; credentials: string; server: unknown; answer: { state: string; detail: string } }[] };
    assert.deepEqual(Object.keys(report).sort(), ['anyAnswered', 'deadTasks', 'ledger', 'providers', 'proxy', 'routes', 'spend', 'tasks']);
    const openai = report.providers.find((check) => check.id === 'openai')!;
    assert.equal(openai.credentials, 'no key needed: a server on this machine or a private network');
    assert.deepEqual(openai.server, { url, from: 'environment', name: 'OPENAI_BASE_URL' });
    assert.equal(openai.answer.state, 'failed');
    assert.match(openai.answer.detail, /could not connect|refused|ECONNREFUSED|reach/i);
  });

  it('says a key in quotes is not sent, naming the variable: to the provider (out) and to a server on this machine (asked without it)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const quoted = { OPENAI_API_KEY: `'${openaiKey}'`, ANTHROPIC_API_KEY: `"${anthropicKey}"` };
    const result = await runInProcess(['doctor', '--ledger', path.join(dir, 'quoted.jsonl'), '--json'], { env: { ...bareEnv(), ...quoted, OPENAI_BASE_URL: url } });

    const report = JSON.parse(result.stdout) as { providers: { id: string; usable: boolean; credentials: string }[] };
    const byId = new Map(report.providers.map((check) => [check.id, check]));
    assert.equal(byId.get('anthropic')!.usable, false);
    assert.equal(
      byId.get('anthropic')!.credentials,
      'the anthropic API key in ANTHROPIC_API_KEY is wrapped in quotes (as a .env file writes it; docker --env-file and systemd keep them), so it is not sent; set ANTHROPIC_API_KEY to the key alone, without the quotes',
    );
    assert.equal(byId.get('openai')!.usable, true, 'a local server is asked without it');
    assert.equal(
      byId.get('openai')!.credentials,
      'no key sent: a server on this machine or a private network, and the openai API key in OPENAI_API_KEY is wrapped in quotes (as a .env file writes it; docker --env-file and systemd keep them), so it is not sent; set OPENAI_API_KEY to the key alone, without the quotes',
    );
    assertNoKey(result.stdout + result.stderr, openaiKey, 'sk-proj-');
    assertNoKey(result.stdout + result.stderr, anthropicKey, 'sk-ant-');
  });

  it("says the AWS profile's own region is not used, and how to use it, on the region line", async () => {
    const config = path.join(dir, 'aws-config-with-region');
    await writeFile(config, '[profile work]\nregion = eu-west-1\n\n[profile east]\nregion = us-west-2\n');
    const doctor = async (profile: string) =>
      (await runInProcess(['doctor', '--ledger', path.join(dir, 'region.jsonl')], { env: { ...bareEnv(), AWS_CONFIG_FILE: config, AWS_PROFILE: profile } })).stdout;

    const eu = await doctor('work');
    assert.ok(
      eu.includes(
        `  region:      us-east-1 (default; the region of profile "work" in ${config} is eu-west-1, not used: to use it, set providers.bedrock.region in a --config file or AWS_REGION to eu-west-1, and route to its inference profile ids (eu.…, apac.…) instead of the default routes' us.…)\n`,
      ),
      eu,
    );
    const us = await doctor('east');
    assert.ok(us.includes(`  region:      us-east-1 (default; the region of profile "east" in ${config} is us-west-2, not used: to use it, set providers.bedrock.region in a --config file or AWS_REGION to us-west-2)\n`), us);
  });

  it("masks the credentials of a server's URL (a gateway's password, a key in its query) in the server line and everywhere else", async () => {
    const { port } = new URL(fakes.urls.openai.baseUrl);
    const password = 'gw-pass-7q2Zr';
    const queryKey = 'qk-9Xy4mT';
    const url = `http://gwuser:${password}@127.0.0.1:${port}/v1?api-key=${queryKey}&region=eu`;
    const result = await runInProcess(['doctor', '--ledger', path.join(dir, 'creds.jsonl')], { env: { ...bareEnv(), OPENAI_BASE_URL: url, OPENAI_API_KEY: openaiKey } });

    const lines = result.stdout.split('\n');
    const server = lines[lines.indexOf('openai: usable') + 2];
    assert.equal(server, `  server:      http://gwuser:***@127.0.0.1:${port}/v1?api-key=***&region=eu (from OPENAI_BASE_URL)`, result.stdout);
    for (const secret of [password, queryKey]) assert.ok(!`${result.stdout}${result.stderr}`.includes(secret), `"${secret}" was printed:\n${result.stdout}${result.stderr}`);
    const json = await runInProcess(['doctor', '--ledger', path.join(dir, 'creds.jsonl'), '--json'], { env: { ...bareEnv(), OPENAI_BASE_URL: url, OPENAI_API_KEY: openaiKey } });
    const report = JSON.parse(json.stdout) as { providers: { id: string; server: { url: string } }[] };
    assert.equal(report.providers.find((check) => check.id === 'openai')!.server.url, `http://gwuser:***@127.0.0.1:${port}/v1?api-key=***&region=eu`);
    for (const secret of [password, queryKey]) assert.ok(!json.stdout.includes(secret), `"${secret}" was in --json:\n${json.stdout}`);
  });

  it("names the baseUrl's user name and password as the credentials sent, not the API key also set, which is not sent", async () => {
    const { port } = new URL(fakes.urls.openai.baseUrl);
    const url = `http://gwuser:gw-pass-7q2Zr@127.0.0.1:${port}/v1`;
    const result = await runInProcess(['doctor', '--ledger', path.join(dir, 'basic.jsonl')], { env: { ...bareEnv(), OPENAI_BASE_URL: url, OPENAI_API_KEY: openaiKey } });

    const lines = result.stdout.split('\n');
    const credentials = lines[lines.indexOf('openai: usable') + 1];
    assert.equal(
      credentials,
      '  credentials: the user name and password in its baseUrl (Basic), not the API key from OPENAI_API_KEY: the address\'s credentials take the one Authorization header, so the key is not sent',
      result.stdout,
    );
    // What the line says is what went: the listing was asked with Basic, and the key was in no request.
    const asked = fakes.openai.requests.filter((request) => request.path === '/v1/models');
    assert.ok(asked.length > 0 && asked.every((request) => String(request.headers.authorization).startsWith('Basic ')), JSON.stringify(asked.map((request) => request.headers.authorization)));
    assertNoKey(result.stdout, openaiKey, 'sk-proj-');
  });

  it('says a ledger cannot be written, and reports today\'s spend against the budgets', async () => {
    const blocker = path.join(dir, 'a-file');
    await writeFile(blocker, '');
    const blocked = await runInProcess(['doctor', '--ledger', path.join(blocker, 'ledger.jsonl')], { env: { ...bareEnv(), OPENAI_BASE_URL: fakes.urls.openai.baseUrl, OPENAI_API_KEY: openaiKey } });
    assert.match(blocked.stdout, /^ledger: .*a-file\/ledger\.jsonl \(cannot be written: a part of the path is a file, not a folder; keep it in a writable place: --ledger, SWITCHBOARD_LEDGER or ledger\.path in a --config file\)$/m);
    assert.equal(blocked.code, 0, 'a ledger problem is a finding; a provider still answers');

    const ledger = path.join(dir, 'spent.jsonl');
    const record = { v: 1, time: new Date().toISOString(), task: 'chat', provider: 'openai', model: 'gpt-5-mini', requestedModel: 'openai:gpt-5-mini', usage: { inputTokens: 10, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 }, usageEstimated: false, costUsd: 0.75, latencyMs: 100, firstTokenMs: 50, outcome: 'ok', attempts: [], source: 'cli' };
    await writeFile(ledger, `${JSON.stringify(record)}\n`);
    const config = await configFile('budget.json', { budget: { dailyUsd: 1 } });
    const result = await runInProcess(['doctor', '--config', config, '--ledger', ledger], { env: { ...bareEnv(), OPENAI_BASE_URL: fakes.urls.openai.baseUrl, OPENAI_API_KEY: openaiKey } });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^spent: \$0\.75 today \(1 request\), \$0\.75 this month$/m);
    assert.match(result.stdout, /^budget: Daily budget: \$0\.25 left of \$1\.00 \(\$0\.75 spent\); resets on \d{4}-\d\d-\d\d at 00:00 \(budget\.dailyUsd in .*budget\.json\)$/m);
  });

  it('counts unpriced requests in "spent" as the budgets do, at the estimate, and says how much of it that is', async () => {
    const ledger = path.join(dir, 'spent-unpriced.jsonl');
    const base = { v: 1, time: new Date().toISOString(), task: 'chat', usageEstimated: false, latencyMs: 100, firstTokenMs: 50, outcome: 'ok', attempts: [], source: 'cli' };
    const priced = { ...base, provider: 'openai', model: 'gpt-5-mini', requestedModel: 'openai:gpt-5-mini', usage: { inputTokens: 10, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0.75 };
    // No price: counted at budget.unpricedEstimate's $3 and $15 a million, $0.03 + $0.15.
    const unpriced = { ...base, provider: 'openai', model: 'gpt-5.4-pro', requestedModel: 'openai:gpt-5.4-pro', usage: { inputTokens: 10_000, outputTokens: 10_000, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: null };
    await writeFile(ledger, `${JSON.stringify(priced)}\n${JSON.stringify(unpriced)}\n`);
    const env = { ...bareEnv(), OPENAI_BASE_URL: fakes.urls.openai.baseUrl, OPENAI_API_KEY: openaiKey };
    // The fake by a name that is no loopback name: on loopback gpt-5.4-pro, in no table, would be local now and count at $0.
    const elsewhere = { openai: { baseUrl: fakes.urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]'), sendKeyTo: ['[::ffff:7f00:1]'] } };
    const config = await configFile('budget-unpriced.json', { budget: { dailyUsd: 1 }, providers: elsewhere });
    const result = await runInProcess(['doctor', '--config', config, '--ledger', ledger], { env });

    assert.equal(result.code, 0, result.stderr);
    const estimate = String.raw`\$0\.18 of it requests to unpriced models counted at budget\.unpricedEstimate in .*budget-unpriced\.json`;
    assert.match(result.stdout, new RegExp(`^spent: \\$0\\.93 today \\(2 requests; ${estimate}\\), \\$0\\.93 this month \\(${estimate}\\)$`, 'm'));
    assert.match(result.stdout, new RegExp(`^budget: Daily budget: \\$0\\.07 left of \\$1\\.00 \\(\\$0\\.93 spent, ${estimate}\\);`, 'm'));
    const json = JSON.parse((await runInProcess(['doctor', '--config', config, '--ledger', ledger, '--json'], { env })).stdout) as { spend: Record<string, unknown> };
    assert.deepEqual([json.spend.todayUsd, json.spend.monthUsd, json.spend.todayEstimatedUsd, json.spend.monthEstimatedUsd, json.spend.todayUnpriced], [0.93, 0.93, 0.18, 0.18, 1]);

    const refusing = await configFile('budget-refuse.json', { budget: { dailyUsd: 1, unpriced: 'refuse' }, providers: elsewhere });
    const refused = await runInProcess(['doctor', '--config', refusing, '--ledger', ledger], { env });
    assert.match(refused.stdout, /^spent: \$0\.75 today \(2 requests; 1 of them to unpriced models, not counted \(budget\.unpriced in .*budget-refuse\.json is "refuse"; give them a price under "prices" in .*budget-refuse\.json\)\), \$0\.75 this month$/m);
    assert.match(refused.stdout, /^budget: Daily budget: \$0\.25 left of \$1\.00 \(\$0\.75 spent\);/m);
  });
});
