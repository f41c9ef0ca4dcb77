import * as vscode from 'vscode';

/**
 * Restricted Mode: in a workspace the user has not trusted, nothing from it is
 * sent to any model. The commands refuse with this message, the status bar says
 * so, and the router holds every request (see Router.hold) in case an entry
 * point forgets to ask. VS Code reloads the window when trust is taken away, so
 * only the grant needs handling while running.
 */
export const RESTRICTED_MESSAGE =
  'This workspace is in Restricted Mode: Switchboard sends nothing from it to any model until you trust it (Manage Workspace Trust).';
export const MANAGE_TRUST = 'Manage Workspace Trust';
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

export function isRestricted(): boolean {
  return !vscode.workspace.isTrusted;
}

/** In Restricted Mode, tells the user why `action` does nothing and offers to manage trust; true when it refused. */
export function refuseInRestrictedMode(action: string): boolean {
  if (!isRestricted()) return false;
  void vscode.window.showWarningMessage(`Switchboard: ${action} is off. ${RESTRICTED_MESSAGE}`, MANAGE_TRUST).then((choice) => {
    if (choice === MANAGE_TRUST) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
  });
  return true;
}
