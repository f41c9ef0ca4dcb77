import type { SwitchboardConfig } from '../config';
import type { GatewayName } from '../types';
import { isLoopbackUrl } from '../keyHost';
import { parseModelRef } from '../modelRef';
import { isOpenRouter } from '../providers/gatewayCost';

/**
 * Which providers the price table treats by where they are served, not by their name: a server on this machine
 * (Ollama, LM Studio, llama.cpp on a loopback `baseUrl`) bills nothing, and OpenRouter (by host, or a custom provider
 * set as `gateway: "openrouter"`) resells the vendors' models
 * under `vendor/model` names at the vendors' prices. A model id alone cannot tell: LM Studio's `openai/gpt-oss-20b`
 * is a free local file, OpenRouter's is billed.
 */
export interface ServingProviders {
  /** Providers whose server is on this machine: their unpriced models cost $0 ("local"). */
  local: ReadonlySet<string>;
  /** Providers whose server is OpenRouter: `anthropic/…` and `openai/…` are priced as the vendor's model. */
  openRouter: ReadonlySet<string>;
  /**
   * `provider:model` refs of `local` providers the user said cost nothing (switchboard.freeOnLocalServer), though
   * the price table prices a model of that name. Only those whose provider is local now: pointed at the vendor's
   * API, or in a remote window, the same name is billed and priced again.
   */
  freeLocal: ReadonlySet<string>;
}

export const NO_SERVING_PROVIDERS: ServingProviders = { local: new Set(), openRouter: new Set(), freeLocal: new Set() };

/**
 * From the settings. Safe to trust: every `baseUrl` is the user's own (the built-ins' are User settings only,
 * `providers.custom` User or, in a remote window, the remote machine's once confirmed), a workspace cannot set one.
 * In a remote window (dev container, SSH) `localhost` is the remote machine, which may run the repository's code:
 * nothing there counts as local, so its models stay estimated under a budget. A custom provider marked as a
 * gateway (`gateway: "litellm"`, a proxy on this machine that forwards to paid APIs) is not local either.
 */
export function servingProvidersOf(config: SwitchboardConfig): ServingProviders {
  const local = new Set<string>();
  const openRouter = new Set<string>();
  const remoteWindow = config.providers.bedrock.remoteWindow === true || config.providers.openai.remoteLoopback === true;
  const servers: Array<[string, string, GatewayName | undefined]> = [
    ['openai', config.providers.openai.baseUrl, undefined],
    ['anthropic', config.providers.anthropic.baseUrl, undefined],
    ...Object.entries(config.providers.custom).map(([id, custom]): [string, string, GatewayName | undefined] => [id, custom.baseUrl, custom.gateway]),
  ];
  for (const [id, baseUrl, gateway] of servers) {
    if (!baseUrl) continue;
    // A provider the user named as OpenRouter (a relay or proxy in front of it, on another host) sells its ids too:
    // its `anthropic/…` left unpriced would count at the unpriced estimate, not the vendor's rates it is billed at.
    if (isOpenRouter(baseUrl) || gateway === 'openrouter') openRouter.add(id);
    else if (!gateway && !remoteWindow && isLoopbackUrl(baseUrl)) local.add(id);
  }
  const freeLocal = new Set(config.freeOnLocalServer.filter((ref) => local.has(parseModelRef(ref)?.provider ?? '')));
  return { local, openRouter, freeLocal };
}
