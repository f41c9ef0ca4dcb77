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
