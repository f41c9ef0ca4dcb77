import * as vscode from 'vscode';
import { freeOnLocalServerHolds } from '../core/config/settingReaders';
import type { LedgerRecord } from '../core/ledger';
import { parseModelRef } from '../core/modelRef';
import { FREE_ON_LOCAL_SERVER_ACTION, FREE_ON_LOCAL_SERVER_SETTING } from '../core/prices/localServerRate';
import type { Switchboard } from '../core/switchboard';
import { freeSettingNotAListNotice, madeFreeNotice, notMadeFreeNotice } from './notificationText';
import { SECTION } from './settings';

export { FREE_ON_LOCAL_SERVER_COMMAND } from './statusModel';

const SETTING_KEY = 'freeOnLocalServer';
const OPEN_USER_SETTINGS_JSON = 'Open User Settings (JSON)';

/**
 * The one-step fix for a model of a server on this machine charged at its vendor's table rate
 * (LedgerRecord.tableRateOnLocalServer): "It's Free (Local Server)" adds its `provider:model` to
 * switchboard.freeOnLocalServer in the User settings. Not a 0/0 price in switchboard.prices: a price counts wherever
 * the provider points, so `openai:gpt-5.4-nano` would then read $0 at api.openai.com too, and in a remote window
 * whose `localhost` is the remote machine; the setting counts only while the provider's server is on this machine
 * (core/prices/servingProviders.ts). User settings alone: a workspace saying a model is free would hide its spend.
 *
 * A ref is taken only for a model this window saw charged so (its own requests, or the dashboard's rows): anyone can
 * run the command with an argument (another extension, a link), and it must not make any other model free unasked.
 */
export class FreeOnLocalServer {
  private readonly seen = new Set<string>();

  constructor(private readonly switchboard: Switchboard) {}

  /** Notes a record's model when it was charged at the vendor's rate on a server on this machine. */
  noteRecord(record: Pick<LedgerRecord, 'provider' | 'model' | 'tableRateOnLocalServer'>): void {
    if (record.tableRateOnLocalServer === true) this.seen.add(`${record.provider}:${record.model}`);
  }

  /** Whether the model of `ref` (`provider:model`) can be made free here now: its provider's server is on this machine. */
  canFree(ref: string): boolean {
    return this.seen.has(ref) && this.switchboard.priceTable.isLocal(providerOf(ref));
  }

  /** Adds `ref` to the User settings' list; says what it did (or why not) in a notification. */
  async markFree(ref: unknown): Promise<boolean> {
    if (typeof ref !== 'string' || !this.seen.has(ref)) {
      const known = [...this.seen];
      const pick = known.length
        ? await vscode.window.showQuickPick(known, { title: `Switchboard: ${FREE_ON_LOCAL_SERVER_ACTION}`, placeHolder: 'Which model does your server on this machine serve for nothing?' })
        : undefined;
      if (!pick) {
        if (known.length === 0) {
          void vscode.window.showInformationMessage(
            `Switchboard: no request of this window was charged at a vendor's rate on a server on this machine. To make a model of such a server free, add its "provider:model" to ${FREE_ON_LOCAL_SERVER_SETTING} in your User settings.`,
          );
        }
        return false;
      }
      ref = pick;
    }
    const model = ref as string;
    const provider = providerOf(model);
    const configuration = vscode.workspace.getConfiguration(SECTION);
    const current = configuration.inspect<unknown>(SETTING_KEY)?.globalValue;
    // Not a list (ignored, with a warning, until it is one): replaced by a list of this model, what the user wrote
    // there would be lost. Said first, as it stands in the way wherever the model's server is.
    if (current !== undefined && current !== null && !Array.isArray(current)) {
      void this.sayNotAList(model, current);
      return false;
    }
    if (!this.switchboard.priceTable.isLocal(provider)) {
      void vscode.window.showWarningMessage(notMadeFreeNotice(model, provider));
      return false;
    }
    // Every entry kept as written, a bad one too (named in its own warning): the user may mean to fix it.
    const list: unknown[] = Array.isArray(current) ? current : [];
    // Compared as the setting is read (spaces around the colon read away), not as written: no second entry.
    const already = freeOnLocalServerHolds(list, model);
    if (!already) await configuration.update(SETTING_KEY, [...list, model], vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(madeFreeNotice(model, provider, already));
    return true;
  }

  /** Says the setting is not a list and nothing was changed; offers the User settings JSON at it. */
  private async sayNotAList(model: string, current: unknown): Promise<void> {
    const choice = await vscode.window.showWarningMessage(freeSettingNotAListNotice(model, current), OPEN_USER_SETTINGS_JSON);
    if (choice === OPEN_USER_SETTINGS_JSON) {
      await vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: FREE_ON_LOCAL_SERVER_SETTING } });
    }
  }
}

/** The provider of `provider:model`; none ('') for text that is not one, which is no provider's server. */
function providerOf(ref: string): string {
  return parseModelRef(ref)?.provider ?? '';
}
