import * as vscode from 'vscode';
import type { KeyStore } from '../core/credentials';
import { keyInputPrompt, keyProblem, keyWarning } from './keyFormat';

export const KEYED_PROVIDERS = [
  { id: 'openai', label: 'OpenAI', envName: 'OPENAI_API_KEY' },
  { id: 'anthropic', label: 'Anthropic', envName: 'ANTHROPIC_API_KEY' },
] as const;
export type KeyedProvider = (typeof KEYED_PROVIDERS)[number]['id'];

const secretName = (provider: string) => `switchboard.apiKey.${provider}`;

/**
 * API keys live only in SecretStorage (the OS keychain on the desktop):
 * never in settings, logs or the ledger.
 */
export class SecretKeyStore implements KeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(providerId: string): Promise<string | undefined> {
    return (await this.secrets.get(secretName(providerId)))?.trim() || undefined;
  }

  async set(providerId: KeyedProvider, key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('An empty API key is not stored.');
    const problem = keyProblem(trimmed);
    if (problem) throw new Error(`${problem}: not stored.`);
    await this.secrets.store(secretName(providerId), trimmed);
  }

  async clear(providerId: KeyedProvider): Promise<void> {
    await this.secrets.delete(secretName(providerId));
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      if (event.key.startsWith('switchboard.apiKey.')) listener();
    });
  }
}

/** Asks for a key in a password box; trimmed, empty refused. Returns whether one was stored. */
export async function promptForKey(store: SecretKeyStore, provider: KeyedProvider): Promise<boolean> {
  const label = KEYED_PROVIDERS.find((p) => p.id === provider)!.label;
  const key = await vscode.window.showInputBox({
    title: `Switchboard: ${label} API key`,
    prompt: keyInputPrompt(KEYED_PROVIDERS.find((p) => p.id === provider)!.envName),
    password: true,
    ignoreFocusOut: true,
    placeHolder: `paste your ${label} API key`,
    validateInput: (value) => {
      const trimmed = value.trim();
      if (!trimmed) return 'Enter a key, or press Escape to cancel.';
      const problem = keyProblem(trimmed);
      if (problem) return problem;
      const warning = keyWarning(provider, trimmed);
      return warning ? { message: `${warning}. Enter stores it anyway.`, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
    },
  });
  if (key === undefined || !key.trim()) return false;
  await store.set(provider, key);
  return true;
}
