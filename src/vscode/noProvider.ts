import * as vscode from 'vscode';
import type { ProviderRegistry } from '../core/providerRegistry';
import { noProviderNotice } from './notificationText';

export const SET_API_KEY = 'Set API Key…';
export const USE_LOCAL_SERVER = 'Use a Local Server';
export const OPEN_SETTINGS = 'Open Settings';

/**
 * With no provider usable, tells the user why `action` does nothing and offers the way to one (the same ways
 * as the walkthrough's first step); true when it refused. The router would refuse too, but only after the
 * question was typed and an answer editor opened.
 */
export function refuseWithoutProvider(action: string, registry: Pick<ProviderRegistry, 'anyUsable' | 'invalidSettingReasons'>): boolean {
  if (registry.anyUsable()) return false;
  const invalid = registry.invalidSettingReasons();
  const choices = invalid.length > 0 ? [OPEN_SETTINGS, SET_API_KEY] : [SET_API_KEY, USE_LOCAL_SERVER];
  void vscode.window.showWarningMessage(noProviderNotice(action, invalid), ...choices).then((choice) => {
    if (choice === SET_API_KEY) void vscode.commands.executeCommand('switchboard.setApiKey');
    if (choice === OPEN_SETTINGS) void vscode.commands.executeCommand('switchboard.openSettings');
    if (choice === USE_LOCAL_SERVER) void vscode.commands.executeCommand('workbench.action.openSettings', 'switchboard.providers.openai.baseUrl');
  });
  return true;
}
