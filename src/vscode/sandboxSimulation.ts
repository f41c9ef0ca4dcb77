import { isLoopbackUrl } from '../core/keyHost';
import type { ProviderRegistry } from '../core/providerRegistry';

/** Set by `npm start` with no keys (scripts/sandbox/simulated.mjs): the project's fake providers answer. */
export const SIMULATED_ENV = 'SWITCHBOARD_SIMULATED';

/**
 * Whether answers are labelled simulated ("Simulated ·" in the status bar, "simulated, not billed" on footers and
 * signatures). The variable alone is not enough: in a remote window the extension host's environment can be the
 * repository's (a dev container's `remoteEnv` or `containerEnv`), and the label on real answers would pass billed
 * spend off as free. So it holds only while every provider Switchboard can use answers on this machine, as the
 * sandbox's fakes on 127.0.0.1 do; a provider at its own cloud host (or any other) means real bills, unlabelled.
 * The window asks at each use (each answer, each status bar redraw), not once at the start: a real endpoint or key
 * added later makes the answers after it billed. No `vscode` import: the host passes its pieces in.
 */
export function sandboxSimulated(env: Readonly<Record<string, string | undefined>>, registry: Pick<ProviderRegistry, 'allStatuses' | 'settingsFor'>): boolean {
  if (env[SIMULATED_ENV] !== '1') return false;
  const usable = registry.allStatuses().filter((status) => status.usable);
  return usable.length > 0 && usable.every((status) => isLoopbackUrl(endpointOf(registry.settingsFor(status.id))));
}

/** Where a provider's requests go; undefined for its own cloud host (no baseUrl or endpoint set). */
function endpointOf(settings: ReturnType<ProviderRegistry['settingsFor']>): string | undefined {
  return settings?.kind === 'bedrock' ? settings.endpoint : settings?.baseUrl;
}
