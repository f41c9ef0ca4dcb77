import * as vscode from 'vscode';
import { resolveConfig, SETTING_KEYS, type ResolvedConfig } from '../core/config';

export const SECTION = 'switchboard';

/**
 * The one place settings are read. Every key comes from core/config's
 * SETTING_KEYS (a unit test checks they match package.json), and the
 * result goes through the same validation as the CLI's --config file.
 */
export function readSettings(): ResolvedConfig {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const raw: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = configuration.get(key);
    if (value !== undefined) raw[key] = value;
  }
  return resolveConfig(raw, `${SECTION}.`);
}

export function affectsSwitchboard(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}
