import * as vscode from 'vscode';

/**
 * The opened folder's (or workspace file's) URI authority in a remote window: `ssh-remote+myws.devpod` for a DevPod
 * workspace, which containerSettings.ts's isContainerRemote counts as a container. Undefined in a local window.
 */
export function remoteFolderAuthority(): string | undefined {
  const uri = vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  return uri?.scheme === 'vscode-remote' ? uri.authority : undefined;
}
