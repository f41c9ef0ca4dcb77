import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { awsCredentialSource } from '../../src/core/awsCredentialSource';

/** Where the credential chain's slow link is, as a message names it (src/core/awsCredentialSource.ts), from real files. */
describe('awsCredentialSource', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv;
  const SETTING = 'switchboard.providers.bedrock.profile';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-credential-source-'));
    await writeFile(
      path.join(dir, 'config'),
      [
        '[profile tool]',
        'credential_process = /usr/local/bin/get-keys',
        '[profile sso]',
        'sso_session = corp',
        '[profile role]',
        'role_arn = arn:aws:iam::123456789012:role/dev',
        'source_profile = base',
        '[default]',
        'sso_start_url = https://corp.awsapps.com/start',
        '',
      ].join('\n'),
    );
    await writeFile(path.join(dir, 'credentials'), '[keys]\naws_access_key_id = AKID\naws_secret_access_key = secret\n');
    env = { AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') };
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it("names a profile's slow link and what chose the profile (the setting, else AWS_PROFILE)", async () => {
    assert.equal(await awsCredentialSource(env, 'tool', SETTING), `the credential_process of profile "tool" (${SETTING})`);
    assert.equal(await awsCredentialSource({ ...env, AWS_PROFILE: 'sso' }, undefined, SETTING), 'the SSO sign-in of profile "sso" (AWS_PROFILE)');
    assert.equal(await awsCredentialSource({ ...env, AWS_PROFILE: 'sso' }, 'role', SETTING), `the role_arn of profile "role" (${SETTING}), assumed through STS`);
    assert.equal(await awsCredentialSource(env, 'keys', SETTING), `profile "keys" (${SETTING})`);
  });

  it('a profile skips the keys in the environment, as the SDK does; without one they come first, then the default profile', async () => {
    const keys = { ...env, AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' };
    assert.equal(await awsCredentialSource(keys, 'tool', SETTING), `the credential_process of profile "tool" (${SETTING})`);
    assert.equal(await awsCredentialSource(keys, undefined, SETTING), 'the environment (AWS_ACCESS_KEY_ID)');
    assert.equal(await awsCredentialSource(env, undefined, SETTING), 'the SSO sign-in of profile "default"');
  });

  it('with no profile in any file: a web identity token, a container endpoint, else the instance role', async () => {
    const none = { AWS_CONFIG_FILE: path.join(dir, 'absent'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'absent') };
    assert.equal(await awsCredentialSource({ ...none, AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token' }, undefined, SETTING), 'the web identity token of AWS_WEB_IDENTITY_TOKEN_FILE, exchanged with STS');
    assert.equal(await awsCredentialSource({ ...none, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials' }, undefined, SETTING), "the container's credential endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)");
    assert.match(await awsCredentialSource(none, undefined, SETTING), /^the default credential chain/);
  });
});
