import { formatModelRef, shortModelName } from '../../core/modelRef';
import type { Switchboard } from '../../core/switchboard';
import type { HostToWebview, ModelOption } from '../../shared/chatProtocol';

/**
 * The `init` message: the models the picker offers (every routed model whose
 * provider is usable, each once) and the one picked, or 'auto' when that one
 * is no longer offered.
 */
export function initMessage(switchboard: Switchboard, selected: string, benchmark: boolean): HostToWebview {
  const seen = new Set<string>();
  const models: ModelOption[] = [];
  const { routes } = switchboard.currentConfig;
  for (const ref of [...routes.chat, ...routes.plan, ...routes.completion]) {
    const key = formatModelRef(ref);
    if (seen.has(key) || !switchboard.registry.status(ref.provider)?.usable) continue;
    seen.add(key);
    models.push({ ref: key, label: `${shortModelName(ref.model)} (${ref.provider})` });
  }
  return {
    type: 'init',
    models,
    selectedModel: selected === 'auto' || seen.has(selected) ? selected : 'auto',
    hasCredentials: switchboard.registry.anyUsable(),
    ...(benchmark ? { benchmark: true } : {}),
  };
}
