/**
 * Bedrock requests waiting for AWS credentials the credential chain is still getting (a credential_process, an SSO
 * token refresh, an assume-role call: seconds, shared by every request asking meanwhile). A first-token limit that runs
 * out there is the credentials' wait, not the model's silence: said as such, naming where they come from, the model
 * not rested, the route going on as for a connection still being made (connectionPhases.ts). Played for real: the
 * real AWS SDK's default credential chain running a profile's credential_process, a node script
 * (test/fakes/credentialProcess.mjs) that answers only once the test releases it; the real router, registry and
 * adapter; two requests at once.
 */
import assert from 'node:assert/strict';
import { existsSync, watch } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NOVA, REQUEST, routerHarness } from './routerHarness';

/** Resolves once `file` exists (watched before the check, so one made between the two is not missed). */
function fileExists(file: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(path.dirname(file), () => existsSync(file) && (watcher.close(), resolve()));
    if (existsSync(file)) {
      watcher.close();
      resolve();
    }
  });
}

describe('bedrock: a first-token limit that runs out while AWS credentials are still coming', function () {
  this.timeout(30_000);
  const h = routerHarness('bedrock-credential-wait');
  const LIMIT_MS = 1000;
  let dir = '';
  const saved: Record<string, string | undefined> = {};
  const VARIABLES = ['AWS_CONFIG_FILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-credential-process-'));
    const script = path.resolve('test/fakes/credentialProcess.mjs');
    // A config file of this test's own: the SDK keeps the files it read by path, and the harness's was read before.
    await writeFile(path.join(dir, 'config'), `[profile slow]\ncredential_process = "${process.execPath}" "${script}" "${dir}"\n`);
    // The profile's credential_process is the one source: no keys in the environment beside it.
    for (const variable of VARIABLES) saved[variable] = process.env[variable];
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
  });
  // Before the harness's own `after`, which waits for the requests it made: the credential_process is never left
  // waiting, whatever the test came to.
  afterEach(async () => {
    await writeFile(path.join(dir, 'release'), '');
    if (existsSync(path.join(dir, 'started'))) await fileExists(path.join(dir, 'finished'));
  });
  after(async () => {
    for (const variable of VARIABLES) {
      if (saved[variable] === undefined) delete process.env[variable];
      else process.env[variable] = saved[variable];
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('two requests at once: each said as the wait for the profile\'s credential_process, the fallback answers, Bedrock rests as for a connection', async () => {
    const { switchboard, ledgerPath, run } = await h.open(
      {
        routes: { chat: [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5'] },
        providers: { ...h.fakes.urls, bedrock: { ...h.fakes.urls.bedrock, profile: 'slow' } },
        timeouts: { firstTokenMs: LIMIT_MS },
      },
      { env: { ANTHROPIC_API_KEY: 'test', AWS_CONFIG_FILE: path.join(dir, 'config') } },
    );

    // At once, through the router itself (the harness's run checks one ledger line per request, one at a time).
    const results = await Promise.all([switchboard.router.run('chat', REQUEST), switchboard.router.run('chat', REQUEST)]);
    await switchboard.ledger.flush();
    assert.deepEqual((await h.readLedger(ledgerPath)).map((record) => record.id).sort(), results.map(({ record }) => record.id).sort(), 'one ledger line each');

    const said = new RegExp(
      `^bedrock could not sign the request in time: getting AWS credentials from the credential_process of profile "slow" \\(providers\\.bedrock\\.profile[^)]*\\) took over \\d+ ms, within the ${LIMIT_MS} ms of switchboard\\.timeouts\\.firstTokenMs; the request never reached the model$`,
    );
    for (const { record } of results) {
      assert.deepEqual([record.outcome, record.provider], ['ok', 'anthropic'], 'the route went on to its next model');
      assert.equal(record.attempts.length, 1);
      assert.match(record.attempts[0]!.error, said);
      assert.ok(record.latencyMs < LIMIT_MS * 3, `at the limit, not when the credentials came (${record.latencyMs} ms)`);
    }
    assert.equal(h.fakes.bedrock.requests.length, 0, 'nothing was sent to Bedrock');
    // One run of the chain, shared: the second request waited on the first one's.
    assert.equal((await readFile(path.join(dir, 'started'), 'utf8')).trim().split('\n').length, 1);
    assert.equal(existsSync(path.join(dir, 'finished')), false, 'the credentials were still coming when both were answered');
    // As for a connection still being made: Bedrock's short rest (the provider's, every model of it), not the model's
    // rest for a timeout; the next request passes it over, saying why.
    const next = await run('chat');
    assert.equal(next.record.provider, 'anthropic');
    assert.match(next.record.attempts[0]?.error ?? '', /^cooling down \(\ds left\) after: bedrock could not sign the request in time: getting AWS credentials/);
  });
});

/**
 * Credentials that expire: refreshed before they do, as the AWS SDK has it (from 5 minutes before), in the
 * background while they still sign, one refresh shared by every request meanwhile; the refreshed ones sign the
 * requests after. Played for real: the real SDK's credential chain running a profile's credential_process
 * (test/fakes/credentialProcess.mjs `expiring`: keys that expire in 2 minutes, then in an hour, named by the run), the real router,
 * registry, adapter and its provider of credentials (bedrockCredentials.ts).
 */
describe('bedrock: credentials that expire are refreshed before they do', function () {
  this.timeout(30_000);
  const h = routerHarness('bedrock-credential-refresh');
  let dir = '';
  const saved: Record<string, string | undefined> = {};
  const VARIABLES = ['AWS_CONFIG_FILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-credential-refresh-'));
    const script = path.resolve('test/fakes/credentialProcess.mjs');
    // A config file of this test's own (the SDK keeps the files it read by path); released from the start.
    await writeFile(path.join(dir, 'config'), `[profile expiring]\ncredential_process = "${process.execPath}" "${script}" "${dir}" expiring\n`);
    await writeFile(path.join(dir, 'release'), '');
    for (const variable of VARIABLES) saved[variable] = process.env[variable];
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
  });
  after(async () => {
    for (const variable of VARIABLES) {
      if (saved[variable] === undefined) delete process.env[variable];
      else process.env[variable] = saved[variable];
    }
    await rm(dir, { recursive: true, force: true });
  });

  const runs = async () => (existsSync(path.join(dir, 'started')) ? (await readFile(path.join(dir, 'started'), 'utf8')).trim().split('\n').length : 0);
  const signedWith = (index: number) => /Credential=([^/,\s]+)\//.exec(String(h.fakes.bedrock.requests[index]?.headers.authorization))?.[1];

  it('the first request waits for the keys; the next are signed with them while one refresh runs; the refreshed keys sign the ones after', async () => {
    const { run } = await h.open(
      { routes: { chat: [`bedrock:${NOVA}`] }, providers: { ...h.fakes.urls, bedrock: { ...h.fakes.urls.bedrock, profile: 'expiring' } } },
      { env: { AWS_CONFIG_FILE: path.join(dir, 'config') } },
    );

    const first = await run('chat');
    assert.deepEqual([first.record.outcome, first.record.provider], ['ok', 'bedrock']);
    assert.equal(signedWith(0), 'AKIDCREDENTIALPROCESS1');

    // Within 5 minutes of their expiry, the keys are refreshed (the SDK's client asks again at once, the chain runs
    // the credential_process again) in the background: the requests meanwhile are signed with them, not held up.
    // Each request is one step: the refreshed keys sign one of them once the refresh has come, and no request
    // meanwhile started another.
    let index = 1;
    for (; index < 50; index++) {
      const next = await run('chat');
      assert.deepEqual([next.record.outcome, next.record.provider], ['ok', 'bedrock']);
      if (signedWith(index) === 'AKIDCREDENTIALPROCESS2') break;
      assert.equal(signedWith(index), 'AKIDCREDENTIALPROCESS1');
    }
    assert.equal(signedWith(index), 'AKIDCREDENTIALPROCESS2', 'the refreshed keys came');
    assert.equal(await runs(), 2, 'one refresh, shared by every request that asked while it ran');
    // An hour from their expiry, the refreshed keys are kept.
    await run('chat');
    assert.equal(signedWith(index + 1), 'AKIDCREDENTIALPROCESS2');
    assert.equal(await runs(), 2, 'no refresh of keys far from their expiry');
  });
});
