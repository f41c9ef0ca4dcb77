import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { awsFileInWorkspace, relativeAwsFile, withAwsFilesOutsideWorkspace, workspaceAwsFileReason } from '../../src/core/awsWorkspaceFiles';
import { resolveConfig } from '../../src/core/config';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import type { ModelRequest } from '../../src/core/types';
import { AWS_ENV } from '../fakes/awsEnv';
import { collectStream } from '../fakes/collectStream';
import { startFakeBedrock, type FakeServer } from '../fakes/index';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Hello' }], maxTokens: 20 };
const CLAUDE = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE naming a file in the workspace', () => {
  let root: string;
  let workspace: string;
  let home: string;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'switchboard-aws-workspace-'));
    workspace = path.join(root, 'repo');
    home = path.join(root, 'home');
    await mkdir(path.join(workspace, '.aws'), { recursive: true });
    await mkdir(path.join(home, '.aws'), { recursive: true });
    await writeFile(path.join(workspace, '.aws', 'config'), '[default]\nregion = us-east-1\n');
    await writeFile(path.join(home, '.aws', 'config'), '[default]\nregion = us-east-1\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('counts a relative path as the file of whichever directory Switchboard runs in, with no folder open (the CLI), not ~/ or an absolute one', () => {
    assert.deepEqual(relativeAwsFile({ AWS_CONFIG_FILE: '.aws/config' }, workspace), { variable: 'AWS_CONFIG_FILE', path: '.aws/config', folder: workspace, relative: true });
    assert.deepEqual(relativeAwsFile({ AWS_SHARED_CREDENTIALS_FILE: 'creds' }, workspace), { variable: 'AWS_SHARED_CREDENTIALS_FILE', path: 'creds', folder: workspace, relative: true });
    for (const named of ['~/.aws/work-config', path.join(home, 'aws-config'), '']) assert.equal(relativeAwsFile({ AWS_CONFIG_FILE: named }, workspace), undefined, named);
    const config = withAwsFilesOutsideWorkspace(resolveConfig({}).config, { AWS_CONFIG_FILE: '.aws/config' }, [], workspace);
    const found = config.providers.bedrock.workspaceAwsFile!;
    assert.match(workspaceAwsFileReason(found), /^AWS_CONFIG_FILE is the relative path \.aws\/config, the file of whichever directory Switchboard runs in \(here /);
    assert.ok(workspaceAwsFileReason(found).includes(path.join(workspace, '.aws', 'config')));
    // Inside an open folder, the folder's reason comes first.
    assert.equal(withAwsFilesOutsideWorkspace(resolveConfig({}).config, { AWS_CONFIG_FILE: '.aws/config' }, [workspace], workspace).providers.bedrock.workspaceAwsFile!.relative, undefined);
  });

  it('finds either variable naming a file inside a folder, absolute or relative to the process directory', () => {
    const inRepo = path.join(workspace, '.aws', 'config');
    assert.deepEqual(awsFileInWorkspace({ AWS_CONFIG_FILE: inRepo }, [workspace], home), { variable: 'AWS_CONFIG_FILE', path: inRepo, folder: workspace });
    assert.deepEqual(awsFileInWorkspace({ AWS_SHARED_CREDENTIALS_FILE: inRepo }, ['/elsewhere', workspace], home), { variable: 'AWS_SHARED_CREDENTIALS_FILE', path: inRepo, folder: workspace });
    assert.deepEqual(awsFileInWorkspace({ AWS_CONFIG_FILE: '.aws/config' }, [workspace], home, workspace), { variable: 'AWS_CONFIG_FILE', path: '.aws/config', folder: workspace });
    // A folder of the repository's whose name starts with two dots is inside it, not above it.
    const dotted = path.join(workspace, '..aws', 'config');
    assert.deepEqual(awsFileInWorkspace({ AWS_CONFIG_FILE: dotted }, [workspace], home), { variable: 'AWS_CONFIG_FILE', path: dotted, folder: workspace });
    // A file not written yet counts too: the SDK would read it once it is.
    assert.equal(awsFileInWorkspace({ AWS_CONFIG_FILE: path.join(workspace, 'later', 'config') }, [workspace], home)?.variable, 'AWS_CONFIG_FILE');
  });

  it('reads a path starting ~/ under the home folder, as the AWS SDK does, not from the process directory', () => {
    // The workspace is <root>/repo, the home <root>/home: ~/../repo/.aws/config is the repository's file to the SDK.
    const viaHome = `~/${path.relative(home, path.join(workspace, '.aws', 'config'))}`;
    assert.deepEqual(awsFileInWorkspace({ AWS_CONFIG_FILE: viaHome }, [workspace], home, root), { variable: 'AWS_CONFIG_FILE', path: viaHome, folder: workspace });
    assert.equal(awsFileInWorkspace({ AWS_SHARED_CREDENTIALS_FILE: viaHome }, [workspace], home, root)?.variable, 'AWS_SHARED_CREDENTIALS_FILE');
    // The SDK expands only a leading "~/": " ~/…" is a path relative to the process directory, here the workspace.
    assert.equal(awsFileInWorkspace({ AWS_CONFIG_FILE: ' ~/config' }, [workspace], home, workspace)?.folder, workspace);
    assert.equal(awsFileInWorkspace({ AWS_CONFIG_FILE: '~/.aws/config' }, [workspace], home, workspace), undefined, 'the default file, named with ~');
    // The home folder as the SDK finds it, from the environment's HOME, when none is passed.
    assert.equal(awsFileInWorkspace({ AWS_CONFIG_FILE: viaHome, HOME: home }, [workspace], undefined, root)?.path, viaHome);
  });

  it('follows a symbolic link outside the folder that leads into it', async () => {
    const link = path.join(root, 'linked-config');
    await symlink(path.join(workspace, '.aws', 'config'), link);
    assert.equal(awsFileInWorkspace({ AWS_CONFIG_FILE: link }, [workspace], home)?.path, link);
  });

  it("counts a link inside the folder even while it leads to the user's default file: the repository can retarget it", async () => {
    const link = path.join(workspace, 'aws-config-link');
    await symlink(path.join(home, '.aws', 'config'), link);
    assert.deepEqual(awsFileInWorkspace({ AWS_CONFIG_FILE: link }, [workspace], home), { variable: 'AWS_CONFIG_FILE', path: link, folder: workspace });
  });

  it('follows a symbolic link to the workspace\'s folder for a file not written there yet (a pull adds it later)', async () => {
    const linkedFolder = path.join(root, 'linked-aws-folder');
    await symlink(path.join(workspace, '.aws'), linkedFolder);
    const later = path.join(linkedFolder, 'config-from-a-later-pull');
    assert.equal(awsFileInWorkspace({ AWS_CONFIG_FILE: later }, [workspace], home)?.path, later);
  });

  it('leaves alone a file outside every folder, the default files even with the home folder open, and no folder at all', () => {
    assert.equal(awsFileInWorkspace({ AWS_CONFIG_FILE: path.join(home, 'work.config') }, [workspace], home), undefined);
    assert.equal(awsFileInWorkspace({ AWS_CONFIG_FILE: path.join(home, '.aws', 'config') }, [home], home), undefined);
    assert.equal(awsFileInWorkspace({ AWS_CONFIG_FILE: path.join(workspace, '.aws', 'config') }, [], home), undefined);
    assert.equal(awsFileInWorkspace({}, [workspace], home), undefined);
    // A folder whose name only begins like the workspace's is another folder.
    assert.equal(awsFileInWorkspace({ AWS_CONFIG_FILE: `${workspace}-other/config` }, [workspace], home), undefined);
  });

  describe('Bedrock through the registry and the real AWS SDK', function () {
    this.timeout(20_000);
    let endpoint: FakeServer;
    let saved: Record<string, string | undefined>;
    let marker: string;
    let repoConfig: string;

    before(async () => {
      endpoint = await startFakeBedrock();
      saved = Object.fromEntries(AWS_ENV.map((name) => [name, process.env[name]]));
      for (const name of AWS_ENV) delete process.env[name];
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
      // The repository's file: its own endpoint, and credentials from a command it brings (which leaves a mark).
      marker = path.join(root, 'credential-process-ran');
      const script = path.join(workspace, '.aws', 'credentials.js');
      await writeFile(
        script,
        `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nconsole.log(JSON.stringify({ Version: 1, AccessKeyId: 'FAKEKEYIDFORTESTS002', SecretAccessKey: 'fake-secret' }));\n`,
      );
      repoConfig = path.join(workspace, '.aws', 'config-with-process');
      await writeFile(repoConfig, `[default]\nregion = us-east-1\nendpoint_url = ${endpoint.url}\ncredential_process = "${process.execPath}" "${script}"\n`);
      process.env.AWS_CONFIG_FILE = repoConfig;
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, '.aws', 'credentials');
    });
    after(async () => {
      await endpoint.close();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    async function registryFor(folders: string[]) {
      const { config } = resolveConfig({});
      const registry = new ProviderRegistry(process.env);
      await registry.configure(withAwsFilesOutsideWorkspace(config, process.env, folders));
      return registry;
    }

    it('with the folder open, Bedrock is left out naming the variable: the file\'s endpoint gets nothing and its command does not run', async () => {
      const registry = await registryFor([workspace]);
      const status = registry.status('bedrock');
      await registry.dispose();
      assert.equal(status?.usable, false);
      assert.match(status?.reason ?? '', /^AWS_CONFIG_FILE names .*config-with-process, inside the workspace folder .*repo: .*endpoint_url.*credential_process.*point AWS_CONFIG_FILE at a file outside the workspace/);
      assert.equal(endpoint.requests.length, 0);
      assert.equal(existsSync(marker), false);
    });

    it('the same file outside any open folder is the AWS SDK\'s to read, as the AWS CLI reads it (what the rule above keeps a repository from)', async () => {
      endpoint.script({ text: 'From the file\'s endpoint.' });
      const registry = await registryFor([path.join(root, 'another-project')]);
      assert.equal(registry.status('bedrock')?.usable, true);
      const answer = await collectStream((await registry.adapter('bedrock')).stream(CLAUDE, REQUEST, new AbortController().signal));
      await registry.dispose();
      assert.equal(answer.text, 'From the file\'s endpoint.');
      assert.equal(endpoint.requests.length, 1);
      assert.equal(existsSync(marker), true, 'the file\'s credential_process ran');
    });

    describe('named from the home folder (`~/…`, which the AWS SDK expands)', () => {
      let savedHome: string | undefined;
      before(async () => {
        savedHome = process.env.HOME;
        process.env.HOME = home;
        process.env.AWS_CONFIG_FILE = `~/${path.relative(home, repoConfig)}`;
        await rm(marker, { force: true });
      });
      after(() => {
        if (savedHome === undefined) delete process.env.HOME;
        else process.env.HOME = savedHome;
        process.env.AWS_CONFIG_FILE = repoConfig;
      });

      it('with the folder open, Bedrock is left out too: its endpoint gets nothing and its command does not run', async () => {
        const before = endpoint.requests.length;
        const registry = await registryFor([workspace]);
        const status = registry.status('bedrock');
        await registry.dispose();
        assert.equal(status?.usable, false);
        assert.match(status?.reason ?? '', /^AWS_CONFIG_FILE names ~\/\.\.\/repo\/\.aws\/config-with-process, inside the workspace folder /);
        assert.equal(endpoint.requests.length, before);
        assert.equal(existsSync(marker), false);
      });

      it('outside any open folder the SDK reads that very file (so the check above is of the file it would read)', async () => {
        endpoint.script({ text: 'Read through the tilde.' });
        const registry = await registryFor([path.join(root, 'another-project')]);
        const answer = await collectStream((await registry.adapter('bedrock')).stream(CLAUDE, REQUEST, new AbortController().signal));
        await registry.dispose();
        assert.equal(answer.text, 'Read through the tilde.');
        assert.equal(existsSync(marker), true, 'the file\'s credential_process ran');
      });
    });
  });
});
