import type { SwitchboardConfig } from '../core/config';
import { isLoopbackUrl } from '../core/keyHost';
import type { ProviderRegistry } from '../core/providerRegistry';

/** Set by `npm start` with no keys (scripts/sandbox/simulated.mjs): the project's fake providers answer. */
export const SIMULATED_ENV = 'SWITCHBOARD_SIMULATED';

/**
 * Whether answers are labelled simulated ("Simulated ·" in the status bar, "simulated, not billed" on footers and
 * signatures). Three things must hold, each asked at every use (each answer, each status bar redraw):
 *
 * 1. `SWITCHBOARD_SIMULATED=1` in the extension host's environment: the sandbox's launcher set it.
 * 2. `switchboard.sandbox.simulated` true in the user's own User settings (`application` scope, read from
 *    `globalValue` alone by settingsPolicy.ts): the sandbox writes it into its own profile's User settings.
 * 3. Every provider Switchboard can use answers on loopback, as the sandbox's fakes on 127.0.0.1 do; a provider at
 *    its own cloud host (or any other) means real bills, unlabelled, and one added later makes the next answers so.
 *
 * Why (2): the variable alone is forgeable. What a hostile repository can set, by window:
 * - a local desktop window: its `.vscode/settings.json` (window- and resource-scoped settings only), files. Not the
 *   extension host's environment (the user's shell or launcher), not User settings.
 * - a container window, desktop or browser (dev container, Codespace): the whole remote side. The environment
 *   (devcontainer.json `remoteEnv`/`containerEnv`, the image, shell profiles), servers on the remote loopback (a proxy there that bills on a real key would pass (3)), the remote
 *   Machine settings (devcontainer.json `customizations.vscode.settings`, which VS Code applies to machine-scoped and
 *   narrower settings only, never `application`). Not the User settings: those are the user's, kept on their side
 *   (their machine, or Settings Sync), and follow them into the window. An SSH host's or WSL's environment is its
 *   owner's shell's rather than a repository's, but may be shared or set up by a project: the same rule holds there.
 * - the sandbox (`code serve-web` opened in a browser): its launcher starts the server with the variable and writes
 *   the server's User settings itself, in its own state folder; no repository is involved in either.
 * So the variable marks "launched as the sandbox" and the User setting proves it from outside any remote's reach;
 * `vscode.env.remoteName` cannot tell them apart (serve-web is a remote window too: 13266ff, reverted in 2acf28a),
 * nor `vscode.env.uiKind` (a Codespace in the browser is a Web window whose remote is the repository's container).
 * What this does not cover: code the repository runs on the remote side (a postCreateCommand) can rewrite the
 * extension installed there, and a VS Code server the repository itself serves has User settings of its own; in
 * both the repository already runs the whole extension host, not only its environment.
 *
 * No `vscode` import: the host passes its pieces in.
 */
export function sandboxSimulated(
  env: Readonly<Record<string, string | undefined>>,
  registry: Pick<ProviderRegistry, 'allStatuses' | 'settingsFor'>,
  config: Pick<SwitchboardConfig, 'sandbox'>,
): boolean {
  if (env[SIMULATED_ENV] !== '1' || config.sandbox.simulated !== true) return false;
  const usable = registry.allStatuses().filter((status) => status.usable);
  return usable.length > 0 && usable.every((status) => isLoopbackUrl(endpointOf(registry.settingsFor(status.id))));
}

/** Where a provider's requests go; undefined for its own cloud host (no baseUrl or endpoint set). */
function endpointOf(settings: ReturnType<ProviderRegistry['settingsFor']>): string | undefined {
  return settings?.kind === 'bedrock' ? settings.endpoint : settings?.baseUrl;
}
