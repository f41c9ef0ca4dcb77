import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { pathForPrompt } from '../core/prompts/promptPath';

/**
 * A document's name for prompts and chips: relative to the workspace when inside it (VS Code's
 * asRelativePath), else its path with the home folder as `~` (see core/prompts/promptPath).
 */
export function documentPathForPrompt(uri: vscode.Uri): string {
  const relative = vscode.workspace.asRelativePath(uri);
  if (uri.scheme !== 'file' || relative !== uri.fsPath) return relative;
  return pathForPrompt(uri.fsPath, os.homedir(), path.sep);
}
