import * as vscode from 'vscode';
import { describeProblem, type ConfigProblem } from '../../core/config';
import { settingsWarning } from '../notificationText';

/**
 * Setting problems (and what the price table finds) in the log each time settings are applied, and in a warning
 * when they differ from those last shown: the same list again is not news.
 */
export class SettingsProblems {
  private shown = '';

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly problems: () => ConfigProblem[],
  ) {}

  report(): void {
    const current = this.problems();
    const lines = current.map(describeProblem);
    for (const line of lines) this.log.warn(`setting: ${line}`);
    const key = lines.join('\n');
    if (key && key !== this.shown) {
      void vscode.window
        .showWarningMessage(settingsWarning(lines), 'Open Settings')
        .then((choice) => {
          if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', current[0]!.key.replace(/\[.*$/, ''));
        });
    }
    this.shown = key;
  }
}
