import type { SwitchboardConfig } from './config';

/**
 * Marks a remote window's configuration (dev container, Codespace, SSH, WSL: vscode.env.remoteName set): there the
 * extension host, and with it `localhost`, is the remote machine, which in a dev container runs the repository's
 * code. A loopback server then is not the user's own machine, whichever setting or variable named it (a User
 * setting of http://localhost:11434/v1 for the Ollama on the user's desktop follows them into the container), so
 * the key rule (core/keyHost.ts) sends the OpenAI or Anthropic key there only once the host is in `sendKeyTo`.
 * Requests still go without the key: a local server needs none. Undefined `remoteName` (a desktop window, the CLI):
 * unchanged.
 */
export function inRemoteWindow(config: SwitchboardConfig, remoteName: string | undefined): SwitchboardConfig {
  if (!remoteName) return config;
  const { openai, anthropic } = config.providers;
  return { ...config, providers: { ...config.providers, openai: { ...openai, remoteLoopback: true }, anthropic: { ...anthropic, remoteLoopback: true } } };
}
