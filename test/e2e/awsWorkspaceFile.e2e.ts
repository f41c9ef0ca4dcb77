import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fakeKeys } from '../fakes/fakeKeys';
import { clearNotifications, fakes, notificationToast, page, runCommand, useWorkbenchOnFakes } from './harness';
import { createWorkspace } from './workbench/workbench';

/**
 * VS Code started with AWS_CONFIG_FILE naming the repository's own `.aws/config` (a project's `.envrc` exported it,
 * or a dev container's remoteEnv): the file names an endpoint of its own. Bedrock is left out, and the user is told
 * which variable and which file, where they ask.
 */
describe('An AWS config file inside the workspace', () => {
  let workspace: string;

  // The fake Bedrock stands for the repository's endpoint: the file names it, and nothing else points at the fakes.
  useWorkbenchOnFakes(
    (started) => {
      workspace = createWorkspace({
        '.aws/config': `[default]\nregion = us-east-1\naws_access_key_id = ${fakeKeys.awsAccessKeyId('workspacefile')}\naws_secret_access_key = ${fakeKeys.awsSecretAccessKey('workspacefile')}\nendpoint_url = ${started.bedrock.url}\n`,
      });
      return {
        workspace,
        env: { AWS_CONFIG_FILE: path.join(workspace, '.aws', 'config'), AWS_EC2_METADATA_DISABLED: 'true' },
        userSettings: { 'switchboard.routes.chat': ['bedrock:us.amazon.nova-micro-v1:0'], 'switchboard.auto.enabled': false },
      };
    },
    { pointAtFakes: false, waitForReady: false },
  );

  // A workspace given to the workbench is the caller's to remove.
  after(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('refuses Ask naming AWS_CONFIG_FILE, the file and the folder; the file\'s endpoint gets nothing', async () => {
    await runCommand(page, 'Switchboard: Ask…');
    const toast = notificationToast(page, 'Switchboard: Ask has no provider to ask');
    await toast.waitFor({ state: 'visible' });
    const text = await toast.innerText();
    assert.match(text, /AWS_CONFIG_FILE names \S+\.aws\/config, inside the workspace folder /);
    assert.match(text, /so Switchboard does not use Bedrock; point AWS_CONFIG_FILE at a file outside the workspace/);
    assert.equal(fakes.bedrock.requests.length, 0);
    await clearNotifications(page);
  });
});
