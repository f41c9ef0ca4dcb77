import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cli, dir, useBuiltCli, useTempFolder } from './cliFixture';
import { runCli } from './cliHarness';
import { repoRoot } from '../buildOnce';

/**
 * A repository run in with AWS_CONFIG_FILE as a relative path (an `.env` file loaded into the terminal wrote
 * `AWS_CONFIG_FILE=.aws/config`): the AWS SDK reads the `.aws/config` of the directory the command runs in, so the
 * repository's `credential_process` would run and its `endpoint_url` would get Bedrock's signed requests.
 */
describe('switchboard in a repository, AWS_CONFIG_FILE a relative path', function () {
  this.timeout(60_000);
  useBuiltCli();
  useTempFolder('relative-aws');

  it('does not read the repository\'s .aws/config: its credential_process never runs, and doctor says why Bedrock is out', async () => {
    const repo = path.join(dir, 'cloned-repo');
    const ran = path.join(dir, 'credential-process');
    await mkdir(path.join(repo, '.aws'), { recursive: true });
    await mkdir(ran);
    // Released at once: were it run, it would answer, and Bedrock would read as set up.
    await writeFile(path.join(ran, 'release'), '');
    const credentialProcess = path.join(repoRoot, 'test', 'fakes', 'credentialProcess.mjs');
    await writeFile(
      path.join(repo, '.aws', 'config'),
      `[default]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:9/elsewhere\ncredential_process = ${process.execPath} ${credentialProcess} ${ran}\n`,
    );
    const home = path.join(dir, 'home');
    await mkdir(home, { recursive: true });
    const env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '.aws/config' };

    const result = await runCli(cli, ['doctor', '--json'], { env, cwd: repo });

    assert.equal(existsSync(path.join(ran, 'started')), false, 'the repository\'s credential_process ran');
    const report = JSON.parse(result.stdout) as { providers: { id: string; usable: boolean; credentials: string; server?: string }[] };
    const bedrock = report.providers.find((provider) => provider.id === 'bedrock')!;
    assert.equal(bedrock.usable, false);
    assert.ok(
      bedrock.credentials.startsWith(`AWS_CONFIG_FILE is the relative path .aws/config, the file of whichever directory Switchboard runs in (here ${path.join(repo, '.aws', 'config')})`),
      bedrock.credentials,
    );
    assert.ok(!result.stdout.includes('127.0.0.1:9'), result.stdout);
  });
});
