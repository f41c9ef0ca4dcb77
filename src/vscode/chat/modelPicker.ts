import { formatModelRef, parseModelRef, shortModelName } from '../../core/modelRef';
import type { ModelRef } from '../../core/types';
import type { Switchboard } from '../../core/switchboard';
import type { HostToWebview, ModelOption } from '../../shared/chatProtocol';

/**
 * The `init` message: the models the picker offers (every routed model whose
 * provider is usable, each once) and the one picked, or 'auto' when that one
 * is no longer offered.
 */
export function initMessage(switchboard: Switchboard, selected: string, benchmark: boolean): HostToWebview {
  const models = offeredModels(switchboard);
  const invalidSettings = switchboard.registry.invalidSettingReasons();
  const withheld = switchboard.registry.withheldKeys();
  return {
    type: 'init',
    models,
    selectedModel: selected === 'auto' || models.some((model) => model.ref === selected) ? selected : 'auto',
    hasCredentials: switchboard.registry.anyUsable(),
    ...(invalidSettings.length > 0 ? { invalidSettings } : {}),
    ...(withheld.length > 0 ? { withheldKeys: withheld.map(({ host, reason }) => ({ host, reason })) } : {}),
    ...(benchmark ? { benchmark: true } : {}),
  };
}

/** Every routed model whose provider is usable, each once: what the picker offers. */
function offeredModels(switchboard: Switchboard): ModelOption[] {
  const seen = new Set<string>();
  const models: ModelOption[] = [];
  const { routes } = switchboard.currentConfig;
  for (const ref of [...routes.chat, ...routes.plan, ...routes.completion]) {
    const key = formatModelRef(ref);
    if (seen.has(key) || !switchboard.registry.status(ref.provider)?.usable) continue;
    seen.add(key);
    models.push({ ref: key, label: `${shortModelName(ref.model)} (${ref.provider})` });
  }
  return models;
}

/**
 * The model a message from the panel names, when the picker offers it; undefined for 'auto' or any other (the
 * chat route then answers). The panel only sends what it was offered, but the host does not take a message's
 * word for which model is paid for: a model in no route could be any model the provider sells, at any price.
 */
export function pickedModel(switchboard: Switchboard, model: string): { ref?: ModelRef; refused?: boolean } {
  if (model === 'auto') return {};
  const ref = parseModelRef(model);
  const offered = ref !== undefined && offeredModels(switchboard).some((option) => option.ref === formatModelRef(ref));
  return offered ? { ref } : { refused: true };
}
