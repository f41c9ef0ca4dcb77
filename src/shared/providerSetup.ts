/**
 * The ways to a provider that Switchboard offers while none is usable: Ask and Plan's notification and the chat
 * panel's notice offer the same ones under the same labels (the first is the command's own title). No `vscode` and
 * no DOM here: the host and the chat page both import it.
 */
export const PROVIDER_WAYS = {
  setKey: 'Set API Key…',
  localServer: 'Use a Local Server…',
  openSettings: 'Open Settings',
} as const;

export type ProviderWay = keyof typeof PROVIDER_WAYS;

/** `invalidSettings`: providers out for a setting a key would not fix (an endpoint without `http://`); the settings come first then. */
export function providerWays(invalidSettings: readonly string[]): ProviderWay[] {
  return invalidSettings.length > 0 ? ['openSettings', 'setKey'] : ['setKey', 'localServer'];
}

/** What the chat panel's notice says while no provider is usable; the notification's words (notificationText.ts) name the action refused. */
export function noProviderPanelText(invalidSettings: readonly string[]): string {
  if (invalidSettings.length > 0) return `Switchboard has no provider to ask: ${invalidSettings.join('; ')}.`;
  return 'Switchboard needs a provider before it can answer: an OpenAI or Anthropic API key, AWS credentials for Bedrock, or a local server such as Ollama (switchboard.providers.openai.baseUrl in your User settings).';
}
