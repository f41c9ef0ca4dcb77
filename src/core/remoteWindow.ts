import type { SwitchboardConfig } from './config';

/**
 * Marks a remote window's configuration (dev container, Codespace, SSH, WSL: vscode.env.remoteName set): there the
 * extension host, and with it `localhost`, is the remote machine, which in a dev container runs the repository's
 * code. A loopback server then is not the user's own machine, whichever setting or variable named it (a User
 * setting of http://localhost:11434/v1 for the Ollama on the user's desktop follows them into the container), so
 * the key rule (core/keyHost.ts) sends the OpenAI or Anthropic key there only once the host is in `sendKeyTo`.
 * Requests still go without the key: a local server needs none.
 *
 * Bedrock likewise: the AWS SDK sends its requests to `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` or `AWS_ENDPOINT_URL` when
 * set, or to a profile's `endpoint_url` in the AWS config file, and a dev container's `remoteEnv`/`containerEnv`
 * (or its image) sets those for the repository. In a remote window they are not used: Bedrock goes to the region's
 * AWS endpoint unless `switchboard.providers.bedrock.endpoint` (the user's own setting) names another.
 *
 * Undefined `remoteName` (a desktop window, the CLI): unchanged.
 */
export function inRemoteWindow(config: SwitchboardConfig, remoteName: string | undefined): SwitchboardConfig {
  if (!remoteName) return config;
  const { openai, anthropic, bedrock } = config.providers;
  return {
    ...config,
    providers: { ...config.providers, openai: { ...openai, remoteLoopback: true }, anthropic: { ...anthropic, remoteLoopback: true }, bedrock: { ...bedrock, remoteWindow: true } },
  };
}
