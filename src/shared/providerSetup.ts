/**
 * The ways to a provider that Switchboard offers while none is usable: Ask and Plan's notification and the chat
 * panel's notice offer the same ones under the same labels (the first is the command's own title). No `vscode` and
 * no DOM here: the host and the chat page both import it.
 */
export const PROVIDER_WAYS = {
  setKey: 'Set API Key…',
  localServer: 'Use a Local Server…',
  openSettings: 'Open Settings',
  allowKeyHost: 'Allow Key for Host…',
} as const;

export type ProviderWay = keyof typeof PROVIDER_WAYS;

/**
 * `invalidSettings`: providers out for a setting a key would not fix (an endpoint without `http://`); the settings
 * come first then. `withheldHosts`: hosts a key was kept back from (keyHost.ts); a new key would be kept back
 * too, so allowing the host is the one way offered.
 */
export function providerWays(invalidSettings: readonly string[], withheldHosts: readonly string[] = []): ProviderWay[] {
  if (withheldHosts.length > 0) return ['allowKeyHost'];
  return invalidSettings.length > 0 ? ['openSettings', 'setKey'] : ['setKey', 'localServer'];
}

/** A way's button: allowing names the host when there is one, as the notice that kept the key back does. */
export function providerWayLabel(way: ProviderWay, withheldHosts: readonly string[] = []): string {
  return way === 'allowKeyHost' && withheldHosts.length === 1 ? `Allow for ${withheldHosts[0]}` : PROVIDER_WAYS[way];
}

/**
 * What the chat panel's notice says while no provider is usable; the notification's words (notificationText.ts) name
 * the action refused. `withheld`: why each provider whose key was kept back is out (the registry's reason).
 */
export function noProviderPanelText(invalidSettings: readonly string[], withheld: readonly string[] = []): string {
  if (withheld.length > 0 || invalidSettings.length > 0) return `Switchboard has no provider to ask: ${[...withheld, ...invalidSettings].join('; ')}.`;
  return 'Switchboard needs a provider before it can answer: an OpenAI or Anthropic API key, AWS credentials for Bedrock, or a local server such as Ollama (switchboard.providers.openai.baseUrl in your User settings).';
}
