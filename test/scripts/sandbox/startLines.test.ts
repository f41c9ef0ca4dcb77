import assert from 'node:assert/strict';
import path from 'node:path';
import { localServerRoutes } from '../../../scripts/sandbox/localServer.mjs';
import { routesLeftLine, shownPath } from '../../../scripts/sandbox/startLines.mjs';
import { buildCli } from '../../cli/cliHarness';
import { closedPort } from '../../fakes/closedPort';
import { fakeKeys } from '../../fakes/fakeKeys';
import { startFakeOpenAI } from '../../fakes/index';

/** What `npm start` says first, read as a new user reads it. */
describe('The sandbox\'s first lines', function () {
  this.timeout(60_000);

  it('shows the workspace copy\'s folder as the user can open it: inside the repository relative, elsewhere whole', () => {
    const repo = path.resolve('/work/repo');
    assert.equal(shownPath(repo, path.join(repo, '.cache', 'sandbox', 'sample-workspace')), path.join('.cache', 'sandbox', 'sample-workspace'));
    // `--state-dir /tmp/x`: was `../../tmp/x/sample-workspace`.
    assert.equal(shownPath(repo, path.resolve('/tmp/x/sample-workspace')), path.resolve('/tmp/x/sample-workspace'));
    assert.equal(shownPath(repo, path.resolve('/work/repository-2/x')), path.resolve('/work/repository-2/x'), 'a sibling whose name starts alike');
  });

  it('tells a user whose local server is not running to start it, not only to name its models', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const found = await localServerRoutes(url, { cli: await buildCli() });
    assert.ok('problem' in found, JSON.stringify(found));
    assert.match(routesLeftLine(found.problem), /^routes left as they are: could not read the models of .*is the server running\?\)\. Start the server \(or fix OPENAI_BASE_URL\), then npm start again; or name its models in switchboard\.routes\.\*/);
  });

  it('leaves a refused key to its own words, and routes by hand only a server with nothing to chat with (the CLI\'s words, from real servers)', async () => {
    const keyed = await startFakeOpenAI({ apiKey: fakeKeys.openai('sl1'), models: ['qwen2.5-coder:7b'] });
    const embeddingsOnly = await startFakeOpenAI({ models: ['nomic-embed-text'] });
    try {
      const cli = await buildCli();
      // A refused key is the key's matter: its own words say what to do, and naming models would not help.
      const refused = await localServerRoutes(`${keyed.url}/v1`, { cli, apiKey: fakeKeys.openai('sl2') });
      assert.ok('problem' in refused, JSON.stringify(refused));
      assert.equal(routesLeftLine(refused.problem), `routes left as they are: ${refused.problem}; then npm start again`);
      assert.match(refused.problem, /answered HTTP 401 \(it refused the API key sent/);
      // A server that answered with nothing to chat with is routed by hand.
      const none = await localServerRoutes(`${embeddingsOnly.url}/v1`, { cli });
      assert.ok('problem' in none, JSON.stringify(none));
      assert.equal(routesLeftLine(none.problem), `routes left as they are: ${embeddingsOnly.url}/v1/models lists no model that can chat (only nomic-embed-text); name its models in switchboard.routes.* (User settings), e.g. "openai:qwen2.5-coder:7b"`);
    } finally {
      await Promise.all([keyed.close(), embeddingsOnly.close()]);
    }
  });
});
