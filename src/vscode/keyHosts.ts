import * as vscode from 'vscode';
import { KEY_HOME, keyLabel, withheldKeyWords } from '../core/keyHost';
import type { ProviderRegistry } from '../core/providerRegistry';
import { plainInNotification } from './notificationText';

/**
 * Allowing a built-in provider's key to go to a host other than its own
 * (core/keyHost.ts). The allowance is the user-scope setting
 * `switchboard.providers.<id>.sendKeyTo`, not global state: it is the same
 * field the CLI reads from its config file, the user can see and edit it in
 * Settings, and settingsPolicy reads it from User settings alone, so no
 * workspace can add a host. Revoking is removing the host (a command here).
 */

export const ALLOW_KEY_HOST_COMMAND = 'switchboard.allowKeyHost';
const REVOKE_KEY_HOST_COMMAND = 'switchboard.revokeKeyHost';

type KeyedId = 'openai' | 'anthropic';

function setting(provider: KeyedId): string {
  return `providers.${provider}.sendKeyTo`;
}

/** The user's own list: a workspace value is never read or written back. */
function allowedHosts(provider: KeyedId): string[] {
  const value = vscode.workspace.getConfiguration('switchboard').inspect<unknown>(setting(provider))?.globalValue;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

async function writeHosts(provider: KeyedId, hosts: string[]): Promise<void> {
  await vscode.workspace.getConfiguration('switchboard').update(setting(provider), hosts, vscode.ConfigurationTarget.Global);
}

export async function allowKeyHost(provider: KeyedId, host: string): Promise<void> {
  const hosts = allowedHosts(provider);
  if (!hosts.includes(host)) await writeHosts(provider, [...hosts, host]);
  void vscode.window.showInformationMessage(
    `Switchboard: your ${keyLabel(provider)} key is now sent to ${host} (switchboard.${setting(provider)}); "Switchboard: Revoke Key for Host…" takes it back.`,
  );
}

function isKeyed(id: string): id is KeyedId {
  return id === 'openai' || id === 'anthropic';
}

/** The modal's button; VS Code adds Cancel (and Escape or closing answers Cancel). */
const ALLOW = 'Allow';

/** The modal question: the key's vendor, the host, and which provider's server it is. */
function allowQuestion(provider: KeyedId, host: string): { message: string; detail: string } {
  const field = `switchboard.${setting(provider)}`;
  return {
    message: `Send your ${keyLabel(provider)} API key to ${host}?`,
    detail:
      `Switchboard's ${provider} provider sends its requests to ${host}; your ${keyLabel(provider)} key was issued for ${KEY_HOME[provider]} and has been kept back from it. ` +
      `Allow adds "${host}" to ${field} in your User settings, and the key goes with every ${provider} request there from then on. "Switchboard: Revoke Key for Host…" takes it back.`,
  };
}

/** How the question is put: a modal in use; the in-host tests script the answer (testApi.ts), a modal being unanswerable there. */
export interface KeyHostQuestion {
  ask(message: string, detail: string): Thenable<string | undefined>;
}

export const MODAL_KEY_HOST_QUESTION: KeyHostQuestion = {
  ask: (message, detail) => vscode.window.showWarningMessage(message, { modal: true, detail }, ALLOW),
};

/**
 * Asks before allowing: for a host named by whoever ran the command (another extension, a `command:` link in
 * trusted Markdown, the chat panel's webview, which shows model answers), where nothing proves the user asked.
 */
async function confirmThenAllow(provider: KeyedId, host: string, question: KeyHostQuestion): Promise<boolean> {
  const { message, detail } = allowQuestion(provider, host);
  if ((await question.ask(message, detail)) !== ALLOW) return false;
  await allowKeyHost(provider, host);
  return true;
}

/** Only a host a key is being kept back from can be allowed, whoever asks. */
function withheldFrom(registry: Pick<ProviderRegistry, 'allStatuses'>): { provider: KeyedId; host: string }[] {
  return registry
    .allStatuses()
    .filter((status) => status.withheldKeyHost && isKeyed(status.id))
    .map((status) => ({ provider: status.id as KeyedId, host: status.withheldKeyHost! }));
}

/**
 * A click on "Allow for HOST" in one of Switchboard's own notifications, whose text named the key kept back and the
 * host: that click is the user's answer, so no modal asks again. Called directly, never through the command, so that
 * no other caller can claim a click.
 */
export async function allowClickedHost(registry: Pick<ProviderRegistry, 'allStatuses'>, host: string): Promise<void> {
  const named = withheldFrom(registry).find((withheld) => withheld.host === host);
  if (named) await allowKeyHost(named.provider, named.host);
}

/**
 * Tells the user once per window and host that a key was kept back, with the
 * button that allows it. Returns whether it did, so the caller skips its own
 * "rejected its credentials" warning, which would send them to set a new key.
 */
export function createKeyHostNotices(registry: ProviderRegistry): { offer(provider: string): boolean; offerAll(): void } {
  const told = new Set<string>();
  const offer = (provider: string): boolean => {
    const host = registry.status(provider)?.withheldKeyHost;
    if (!host || !isKeyed(provider)) return false;
    const once = `${provider} ${host}`;
    if (told.has(once)) return true;
    told.add(once);
    const allow = `Allow for ${host}`;
    void vscode.window
      .showWarningMessage(plainInNotification(`${withheldKeyWords(provider, host)}.`), allow)
      .then((choice) => {
        if (choice === allow) void allowKeyHost(provider, host);
      });
    return true;
  };
  // A public host was left out before any request: say so as soon as the settings say where requests go.
  const offerAll = () => {
    for (const status of registry.allStatuses()) if (status.withheldKeyHost && !status.usable) offer(status.id);
  };
  return { offer, offerAll };
}

export function registerKeyHostCommands(context: vscode.ExtensionContext, registry: () => ProviderRegistry, question: () => KeyHostQuestion = () => MODAL_KEY_HOST_QUESTION): void {
  context.subscriptions.push(
    // `host`: anyone can run the command with one (another extension, a `command:` link, the chat panel's webview),
    // so a modal asks, naming the key and the host. Only a host a key is being kept back from is asked about.
    // Switchboard's own notification buttons allow without this second question (allowClickedHost).
    vscode.commands.registerCommand(ALLOW_KEY_HOST_COMMAND, async (host?: unknown) => {
      const withheld = withheldFrom(registry());
      const named = withheld.find((candidate) => candidate.host === host);
      if (named) {
        await confirmThenAllow(named.provider, named.host, question());
        return;
      }
      if (withheld.length === 0) {
        void vscode.window.showInformationMessage(
          'Switchboard: no key is being kept back. A provider key goes to its own API host, to this machine, and to hosts in switchboard.providers.openai.sendKeyTo or providers.anthropic.sendKeyTo.',
        );
        return;
      }
      // The user's own pick of a host, the key named beside it, is their answer: no modal after it.
      const pick = await vscode.window.showQuickPick(
        withheld.map(({ provider, host: withheldHost }) => ({ label: withheldHost, description: `your ${keyLabel(provider)} key`, provider })),
        { title: 'Switchboard: Allow Key for Host…', placeHolder: 'Send the key to which host?' },
      );
      if (pick) await allowKeyHost(pick.provider, pick.label);
    }),
    vscode.commands.registerCommand(REVOKE_KEY_HOST_COMMAND, async () => {
      const items = (['openai', 'anthropic'] as const).flatMap((provider) =>
        allowedHosts(provider).map((host) => ({ label: host, description: `your ${keyLabel(provider)} key`, provider })),
      );
      if (items.length === 0) {
        void vscode.window.showInformationMessage('Switchboard: no host besides api.openai.com and api.anthropic.com is allowed a key.');
        return;
      }
      const pick = await vscode.window.showQuickPick(items, { title: 'Switchboard: Revoke Key for Host…', placeHolder: 'Stop sending the key to which host?' });
      if (!pick) return;
      await writeHosts(pick.provider, allowedHosts(pick.provider).filter((host) => host !== pick.label));
      void vscode.window.showInformationMessage(`Switchboard: your ${keyLabel(pick.provider)} key is no longer sent to ${pick.label}.`);
    }),
  );
}
