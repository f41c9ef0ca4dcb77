import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';

/**
 * Runs a Switchboard command the way a test (like another extension) must: with its arguments through
 * executeCommand, and its modal question (commandConsent.ts) answered with the confirm button, as the user would.
 */
export function runConfirmed<T>(sb: SwitchboardTestApi, command: string, ...args: unknown[]): Thenable<T> {
  sb.answerCommandQuestions([true]);
  return vscode.commands.executeCommand<T>(command, ...args);
}
