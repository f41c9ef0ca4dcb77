import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { fakeKeys } from '../fakes/fakeKeys';
import { runInProcess } from './inProcess';

/**
 * Command-line tools' logins in a home folder, which the default `exclude` keeps from every model: a file the CLI
 * would otherwise attach (`ask --attach`) or complete in (`complete --file`). Each holds a key-shaped token the
 * masking would not catch, so only the exclusion keeps it back.
 */
const CREDENTIAL_FILES: Record<string, string> = {
  '.config/gh/hosts.yml': 'github.com:\n    oauth_token: gho_notmaskedbutsecret\n    user: dev\n',
  '.config/gcloud/application_default_credentials.json': '{"type": "authorized_user", "refresh_token": "1//not-masked-secret"}\n',
  '.config/gcloud/legacy_credentials/dev@example.com/adc.json': '{"refresh_token": "1//not-masked-secret"}\n',
  '.azure/msal_token_cache.json': '{"RefreshToken": {"x": {"secret": "not-masked-secret"}}}\n',
  '.azure/azureProfile.json': '{"subscriptions": [{"id": "not-masked-secret"}]}\n',
  '.cargo/credentials.toml': '[registry]\ntoken = "not-masked-secret"\n',
  '.terraform.d/credentials.tfrc.json': '{"credentials": {"app.terraform.io": {"token": "not-masked-secret"}}}\n',
  '.vault-token': 'hvs.not-masked-secret\n',
  '.config/containers/auth.json': '{"auths": {"quay.io": {"auth": "not-masked-secret"}}}\n',
};

describe('switchboard CLI: credential stores excluded by default', function () {
  this.timeout(20_000);
  let openai: FakeServer;
  let home: string;
  let project: string;
  let config: string;

  before(async () => {
    openai = await startFakeOpenAI();
    home = await mkdtemp(path.join(tmpdir(), 'switchboard-credential-home-'));
    project = path.join(home, 'project');
    await mkdir(project);
    for (const [file, text] of Object.entries(CREDENTIAL_FILES)) {
      await mkdir(path.dirname(path.join(home, file)), { recursive: true });
      await writeFile(path.join(home, file), text);
    }
    await writeFile(path.join(project, 'notes.txt'), 'Ordinary notes.\n');
    config = path.join(project, 'switchboard.json');
    // No `exclude`: the defaults apply.
    await writeFile(config, JSON.stringify({ providers: { openai: { baseUrl: `${openai.url}/v1` } }, routes: { chat: ['openai:gpt-4.1-mini'], completion: ['openai:gpt-4.1-mini'] }, auto: { enabled: false } }));
  });
  after(async () => {
    await openai.close();
    await rm(home, { recursive: true, force: true });
  });

  async function run(args: string[]) {
    openai.scriptModel('gpt-4.1-mini', { text: 'ok' });
    const before = openai.requests.length;
    const result = await runInProcess([args[0]!, '--config', config, '--ledger', path.join(home, 'ledger.jsonl'), ...args.slice(1)], { env: { HOME: home, OPENAI_API_KEY: fakeKeys.openai('excluded-credentials') }, cwd: project });
    return { ...result, requests: openai.requests.length - before };
  }

  it('ask --attach sends an ordinary file (the fake is asked), and refuses each credential store, by absolute path or from the project', async () => {
    const ordinary = await run(['ask', '--attach', 'notes.txt', 'Summarise']);
    assert.deepEqual([ordinary.code, ordinary.requests], [0, 1], ordinary.stderr);
    for (const file of Object.keys(CREDENTIAL_FILES)) {
      for (const named of [path.join(home, file), path.relative(project, path.join(home, file))]) {
        const refused = await run(['ask', '--attach', named, 'Summarise']);
        assert.deepEqual([refused.code, refused.requests], [2, 0], `${named}: ${refused.stderr}`);
        assert.equal(refused.stderr, `switchboard: --attach ${named} is excluded by "exclude" (the defaults or --config); not attached\n`);
      }
    }
  });

  it('ask --attach refuses a project file that links to a credential store', async () => {
    await symlink(path.join(home, '.config/gh/hosts.yml'), path.join(project, 'setup.yml'));
    const refused = await run(['ask', '--attach', 'setup.yml', 'Summarise']);
    assert.deepEqual([refused.code, refused.requests], [2, 0], refused.stderr);
  });

  it('complete --file completes in none of them', async () => {
    for (const file of ['.config/gh/hosts.yml', '.azure/azureProfile.json', '.config/gcloud/application_default_credentials.json', '.cargo/credentials.toml']) {
      const refused = await run(['complete', '--file', path.join(home, file), '--line', '1', '--column', '2']);
      assert.deepEqual([refused.code, refused.stdout, refused.requests], [2, '', 0], `${file}: ${refused.stderr}`);
      assert.match(refused.stderr, /is excluded by "exclude" \(the defaults or --config\); not completed/);
    }
  });
});
