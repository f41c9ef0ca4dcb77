import * as vscode from 'vscode';
import type { ProviderRegistry } from '../core/providerRegistry';
import { PROVIDER_WAYS, providerWays, type ProviderWay } from '../shared/providerSetup';
import { noProviderNotice } from './notificationText';

export const SET_API_KEY = PROVIDER_WAYS.setKey;

/**
 * With no provider usable, tells the user why `action` does nothing and offers the way to one (the same ways
 * as the walkthrough's first step and the chat panel's notice); true when it refused. The router would refuse
 * too, but only after the question was typed and an answer editor opened.
 */
export function refuseWithoutProvider(action: string, registry: Pick<ProviderRegistry, 'anyUsable' | 'invalidSettingReasons'>): boolean {
  if (registry.anyUsable()) return false;
  const invalid = registry.invalidSettingReasons();
  const ways = providerWays(invalid);
  void vscode.window.showWarningMessage(noProviderNotice(action, invalid), ...ways.map((way) => PROVIDER_WAYS[way])).then((choice) => {
    const way = ways.find((candidate) => PROVIDER_WAYS[candidate] === choice);
    if (way) openProviderWay(way);
  });
  return true;
}

/** Opens what a way to a provider names: the key's provider pick, the local server's address and models, or Switchboard's settings. */
export function openProviderWay(way: ProviderWay): void {
  if (way === 'setKey') void vscode.commands.executeCommand('switchboard.setApiKey');
  if (way === 'openSettings') void vscode.commands.executeCommand('switchboard.openSettings');
  if (way === 'localServer') void vscode.commands.executeCommand('switchboard.useLocalServer');
}
