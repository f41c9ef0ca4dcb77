import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_EXCLUDE, ExcludeMatcher, fileIdentity, filesExcludePatterns, globProblem, pathsToMatch } from '../../src/core/exclude';

describe('switchboard.exclude matching', () => {
  const defaults = new ExcludeMatcher(DEFAULT_EXCLUDE);

  it('excludes the usual homes of secrets by default, at any depth', () => {
    for (const path of [
      '.env',
      '.env.local',
      'services/api/.env.production',
      '.envrc',
      // docker compose's env_file and systemd's EnvironmentFile are often named this way: the same passwords as .env.
      'config/prod.env',
      'docker/db.env',
      'certs/server.pem',
      'tls/server.key',
      'deploy/signing.p12',
      'deploy/signing.pfx',
      'id_rsa',
      'keys/id_ed25519.pub',
      'home/dev/.ssh/config',
      '.aws/credentials',
      'home/dev/.aws/config',
      'gcloud/credentials.json',
      '.npmrc',
      'packages/web/.npmrc',
      '.pypirc',
      '.netrc',
      '.git-credentials',
      'config/secrets/prod.yaml',
      'secrets/db/password.txt',
      'workers/api/.dev.vars',
      '.dev.vars.staging',
      'infra/terraform.tfstate',
      'infra/terraform.tfstate.backup',
      'infra/prod.tfvars',
      '/home/dev/.kube/config',
      '/home/dev/.docker/config.json',
      '.pgpass',
      '/home/dev/.gnupg/private-keys-v1.d/key.key',
      'putty/server.ppk',
      'android/release.jks',
      'android/release.keystore',
      'vault/passwords.kdbx',
      'nginx/.htpasswd',
    ]) {
      assert.equal(defaults.excludes(path), true, path);
    }
  });

  it('leaves ordinary source alone, including files merely named after secrets', () => {
    for (const path of ['src/app.ts', 'src/core/credentials.ts', 'src/secrets.ts', 'docs/env.md', 'src/env.ts', 'src/dotenv.js', 'keyboard.ts', 'src/monkey.keys.ts', 'README.md', 'environment.yml', 'infra/main.tf', 'docker/config.json', 'src/keystore.ts']) {
      assert.equal(defaults.excludes(path), false, path);
    }
  });

  it('ignores case, towards excluding more', () => {
    for (const path of ['.ENV', 'Config/Secrets/db.yaml', 'ID_RSA', 'server.PEM']) assert.equal(defaults.excludes(path), true, path);
  });

  it('matches absolute paths of files outside every workspace folder', () => {
    assert.equal(defaults.excludes('/home/dev/.aws/credentials'), true);
    assert.equal(defaults.excludes('/c:/Users/dev/.ssh/id_rsa'), true);
    assert.equal(defaults.excludes('/home/dev/project/src/app.ts'), false);
  });

  it('treats a pattern that matches a folder as excluding everything in it, as files.exclude does', () => {
    const matcher = new ExcludeMatcher(['**/node_modules', 'private']);
    assert.equal(matcher.excludes('node_modules/left-pad/index.js'), true);
    assert.equal(matcher.excludes('packages/a/node_modules/x/y.js'), true);
    assert.equal(matcher.excludes('private/notes.md'), true);
    assert.equal(matcher.excludes('src/private/notes.md'), false, 'a pattern without **/ is relative to the folder root');
  });

  it('supports VS Code glob syntax: braces, character classes, ? and *', () => {
    const matcher = new ExcludeMatcher(['**/*.{crt,cer}', 'data/dump-[0-9].sql', 'tmp/?.log', 'build/*.map']);
    assert.equal(matcher.excludes('a/b/site.crt'), true);
    assert.equal(matcher.excludes('site.cer'), true);
    assert.equal(matcher.excludes('data/dump-7.sql'), true);
    assert.equal(matcher.excludes('data/dump-x.sql'), false);
    assert.equal(matcher.excludes('tmp/a.log'), true);
    assert.equal(matcher.excludes('tmp/ab.log'), false);
    assert.equal(matcher.excludes('build/app.js.map'), true);
    assert.equal(matcher.excludes('build/sub/app.js.map'), false);
  });

  it('excludes nothing with no patterns, and skips patterns that do not compile', () => {
    assert.equal(new ExcludeMatcher([]).excludes('.env'), false);
    const tooLong = 'x'.repeat(70_000);
    const matcher = new ExcludeMatcher([tooLong, '**/.env']);
    assert.deepEqual(matcher.patterns, ['**/.env']);
    assert.equal(matcher.excludes('.env'), true);
  });
});

describe('files.exclude patterns', () => {
  it('takes the true entries of every level, so no level can take back another level’s exclusion', () => {
    const defaults = { '**/.git': true, '**/.DS_Store': true };
    const user = { '**/dist': true };
    const workspace = { '**/.git': false, '**/generated': true };
    assert.deepEqual(filesExcludePatterns([defaults, user, workspace, undefined]).sort(), ['**/.DS_Store', '**/.git', '**/dist', '**/generated']);
  });

  it('leaves out "when" entries and anything malformed', () => {
    assert.deepEqual(filesExcludePatterns([{ '**/*.js': { when: '$(basename).ts' }, '**/x': 'yes', '': true }, [], 'junk', null]), []);
  });
});

describe('switchboard.exclude setting', () => {
  it('defaults to the built-in list', () => {
    assert.deepEqual(resolveConfig({}).config.exclude, [...DEFAULT_EXCLUDE]);
  });

  it('takes the user’s list as it is (an empty list excludes nothing)', () => {
    assert.deepEqual(resolveConfig({ exclude: ['**/*.secret'] }).config.exclude, ['**/*.secret']);
    assert.deepEqual(resolveConfig({ exclude: [] }).config.exclude, []);
  });

  it('reports a bad entry by its index and keeps the rest', () => {
    const { config, problems } = resolveConfig({ exclude: ['**/.env', 42, '', '**/*.pem'] });
    assert.deepEqual(config.exclude, ['**/.env', '**/*.pem']);
    assert.deepEqual(
      problems.map((p) => `${p.key}: ${p.message}`),
      ['switchboard.exclude[1]: 42 must be a string; skipped', 'switchboard.exclude[2]: "" is empty; skipped'],
    );
  });

  it('falls back to the defaults when the value is not a list', () => {
    const { config, problems } = resolveConfig({ exclude: '**/.env' });
    assert.deepEqual(config.exclude, [...DEFAULT_EXCLUDE]);
    assert.match(problems[0]!.message, /must be a list of glob patterns/);
  });

  it('explains a pattern that does not compile', () => {
    assert.match(globProblem('x'.repeat(70_000)) ?? '', /not a valid glob/);
    assert.equal(globProblem('**/*.pem'), undefined);
  });
});

describe('exclusion through symbolic links', () => {
  const defaults = new ExcludeMatcher(DEFAULT_EXCLUDE);
  let root: string;
  let workspace: string;
  const excluded = (file: string) => pathsToMatch(path.join(workspace, file), workspace).some((candidate) => defaults.excludes(candidate));

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'switchboard-links-'));
    workspace = path.join(root, 'repo');
    await mkdir(path.join(root, 'home', '.aws'), { recursive: true });
    await mkdir(path.join(root, 'home', '.ssh'), { recursive: true });
    await mkdir(path.join(workspace, 'docs'), { recursive: true });
    await writeFile(path.join(root, 'home', '.aws', 'credentials'), '[default]\n');
    await writeFile(path.join(root, 'home', '.ssh', 'id_ed25519'), 'key\n');
    await writeFile(path.join(workspace, '.env'), 'TOKEN=x\n');
    await writeFile(path.join(workspace, 'README.md'), '# hi\n');
    // What a cloned repository can hold: links with innocent names to the user's secrets, and to its own .env.
    await symlink(path.join(root, 'home', '.aws', 'credentials'), path.join(workspace, 'notes.md'));
    await symlink('../.env', path.join(workspace, 'docs', 'setup.txt'));
    await symlink(path.join(root, 'home', '.ssh'), path.join(workspace, 'keys'));
    await symlink('README.md', path.join(workspace, 'INTRO.md'));
  });

  after(() => rm(root, { recursive: true, force: true }));

  it('judges a link by the file it leads to, inside the workspace or outside it, through a linked folder too', () => {
    assert.equal(defaults.excludes('notes.md'), false, 'by its name alone the link is not excluded');
    for (const file of ['notes.md', 'docs/setup.txt', 'keys/id_ed25519']) assert.ok(excluded(file), file);
    assert.deepEqual(pathsToMatch(path.join(workspace, 'docs', 'setup.txt'), workspace), ['docs/setup.txt', '.env']);
  });

  it('leaves a link to an ordinary file, an ordinary file and a missing one as their names say', () => {
    assert.equal(excluded('INTRO.md'), false);
    assert.deepEqual(pathsToMatch(path.join(workspace, 'README.md'), workspace), ['README.md']);
    assert.deepEqual(pathsToMatch(path.join(workspace, 'gone.ts'), workspace), ['gone.ts']);
    assert.equal(excluded('.env'), true);
  });

  it('tells a path that leads to another file since, whether its own link or a linked folder on the way was re-pointed', async () => {
    const link = path.join(workspace, 'pointer.md');
    await symlink('README.md', link);
    const before = fileIdentity(link);
    assert.ok(before !== undefined);
    assert.equal(fileIdentity(link), before, 'the same file, asked again');
    assert.equal(fileIdentity(path.join(workspace, 'README.md')), before, 'the file it leads to');
    await unlink(link);
    await symlink('.env', link);
    assert.notEqual(fileIdentity(link), before);

    // A folder on the way re-pointed: the file's own name never changed, nor was it a link.
    await mkdir(path.join(root, 'public'));
    await writeFile(path.join(root, 'public', 'credentials'), 'nothing\n');
    const folder = path.join(workspace, 'shared');
    await symlink(path.join(root, 'public'), folder);
    const viaFolder = path.join(folder, 'credentials');
    const first = fileIdentity(viaFolder);
    await unlink(folder);
    await symlink(path.join(root, 'home', '.aws'), folder);
    assert.notEqual(fileIdentity(viaFolder), first);
    assert.equal(fileIdentity(viaFolder), fileIdentity(path.join(root, 'home', '.aws', 'credentials')));
    assert.equal(fileIdentity(path.join(workspace, 'gone.ts')), undefined);
  });
});
