import * as vscode from 'vscode';
import type { ProviderRegistry } from '../core/providerRegistry';
import { providerWayLabel, providerWays, type ProviderWay } from '../shared/providerSetup';
import { ALLOW_KEY_HOST_COMMAND, allowClickedHost } from './keyHosts';
import { noProviderNotice } from './notificationText';

/**
 * With no provider usable, tells the user why `action` does nothing and offers the way to one (the same ways
 * as the walkthrough's first step and the chat panel's notice); true when it refused. The router would refuse
 * too, but only after the question was typed and an answer editor opened.
 */
export function refuseWithoutProvider(action: string, registry: Pick<ProviderRegistry, 'anyUsable' | 'invalidSettingReasons' | 'withheldKeys' | 'allStatuses'>): boolean {
  if (registry.anyUsable()) return false;
  const invalid = registry.invalidSettingReasons();
  const withheld = registry.withheldKeys();
  const hosts = withheld.map(({ host }) => host);
  const ways = providerWays(invalid, hosts);
  const label = (way: ProviderWay) => providerWayLabel(way, hosts);
  void vscode.window.showWarningMessage(noProviderNotice(action, [...withheld.map(({ reason }) => reason), ...invalid]), ...ways.map(label)).then((choice) => {
    const way = ways.find((candidate) => label(candidate) === choice);
    // This notification named the key and the host: its button is the user's answer (no modal after it).
    if (way) openProviderWay(way, hosts, (host) => allowClickedHost(registry, host));
  });
  return true;
}

/**
 * Opens what a way to a provider names: the key's provider pick, the local server's address and models,
 * Switchboard's settings, or the allowance of the host a key was kept back from.
 */
export function openProviderWay(way: ProviderWay, withheldHosts: readonly string[] = [], allowClicked?: (host: string) => Promise<void>): void {
  if (way === 'setKey') void vscode.commands.executeCommand('switchboard.setApiKey');
  if (way === 'openSettings') void vscode.commands.executeCommand('switchboard.openSettings');
  if (way === 'localServer') void vscode.commands.executeCommand('switchboard.useLocalServer');
  // One host: the button named it; clicked in Switchboard's own notification (`allowClicked`) it is allowed, else
  // (the chat panel's webview) the command asks first. Several: the command's pick names them.
  if (way !== 'allowKeyHost') return;
  if (withheldHosts.length === 1 && allowClicked) void allowClicked(withheldHosts[0]!);
  else void vscode.commands.executeCommand(ALLOW_KEY_HOST_COMMAND, ...(withheldHosts.length === 1 ? [withheldHosts[0]] : []));
}
