/**
 * A home lab's server over https with a certificate of its own (self-signed, or a private CA's), as
 * `https://192.168.1.10:8443/v1` is: what `switchboard ask` and `doctor` say, and that the way they name
 * (NODE_EXTRA_CA_CERTS) makes it answer. The built CLI in a child process: Node reads that variable only at start.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { startTlsFront, type TlsFront } from '../fakes/tlsFront';
import { bareEnvIn, cli, dir, useBuiltCli, useTempFolder } from './cliFixture';
import { runCli } from './cliHarness';

describe('switchboard with an https server whose certificate this machine does not trust', function () {
  this.timeout(60_000);
  useBuiltCli();
  useTempFolder('private-certificate');
  let server: FakeServer;
  let front: TlsFront | undefined;
  before(async () => (server = await startFakeOpenAI({ models: ['qwen2.5-coder:7b'] })));
  after(() => server.close());
  afterEach(() => front?.close());

  const env = (baseUrl: string, extra: NodeJS.ProcessEnv = {}) => bareEnvIn(dir, { OPENAI_BASE_URL: baseUrl, ...extra });
  const ask = (baseUrl: string, extra?: NodeJS.ProcessEnv) =>
    runCli(cli, ['ask', '--model', 'openai:qwen2.5-coder:7b', '--ledger', path.join(dir, 'ledger.jsonl'), 'Hello?'], { env: env(baseUrl, extra) });

  it('says the certificate is not trusted and names NODE_EXTRA_CA_CERTS, in ask and doctor; with it set, the server answers', async () => {
    front = await startTlsFront(server.port);
    const baseUrl = `${front.url}/v1`;
    const refused = await ask(baseUrl);
    assert.equal(refused.code, 1);
    const way = 'its certificate is self-signed or from a CA this machine does not trust: give Node the CA\'s certificate (a self-signed server\'s own) as a PEM file named by NODE_EXTRA_CA_CERTS';
    assert.ok(refused.stderr.includes(`openai failed the TLS check (DEPTH_ZERO_SELF_SIGNED_CERT); its baseUrl is ${baseUrl}: ${way}`), refused.stderr);
    assert.ok(refused.stderr.includes('http.systemCertificates'), refused.stderr);

    const doctor = await runCli(cli, ['doctor', '--ledger', path.join(dir, 'ledger.jsonl')], { env: env(baseUrl) });
    assert.match(doctor.stdout, new RegExp(`^ {2}answers: {5}no: openai failed the TLS check \\(DEPTH_ZERO_SELF_SIGNED_CERT\\); .*NODE_EXTRA_CA_CERTS`, 'm'), doctor.stdout);

    server.script({ text: 'Hello from the lab.' });
    const trusted = await ask(baseUrl, { NODE_EXTRA_CA_CERTS: front.certificateFile });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.equal(trusted.stdout, 'Hello from the lab.\n');
  });

  it('says a trusted certificate issued for another name does not name the host asked, and what to write', async () => {
    front = await startTlsFront(server.port, 'DNS:gpu-box.lan');
    const result = await ask(`${front.url}/v1`, { NODE_EXTRA_CA_CERTS: front.certificateFile });
    assert.equal(result.code, 1);
    assert.ok(
      result.stderr.includes('(ERR_TLS_CERT_ALTNAME_INVALID); its baseUrl is https://127.0.0.1:') &&
        result.stderr.includes('its certificate does not name 127.0.0.1: write in the baseUrl the name it was issued for, or issue it for 127.0.0.1 too (subjectAltName)'),
      result.stderr,
    );
  });
});
