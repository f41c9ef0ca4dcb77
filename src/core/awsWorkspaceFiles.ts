import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AWS_FILE_VARIABLES, awsHomeDir, awsSharedFilePath } from './awsSharedFiles';
import type { SwitchboardConfig } from './config';

/**
 * AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE naming a file inside a workspace folder. The AWS SDK reads those
 * files for Bedrock, and what is in them decides more than whose credentials sign: a profile's `endpoint_url` (or its
 * `services` section) chooses where the signed requests go, `credential_process` runs a command, `role_arn` with
 * `source_profile` sends the user's keys' signature to STS. A file in the workspace is the repository's, changed by
 * any pull, however the variable came to name it: a dev container's `remoteEnv`/`containerEnv`, a project's
 * `.envrc` loaded into the editor's environment, a launcher started in the folder. Such a file is not read: Bedrock
 * is left out, its reason naming the variable, until the variable names a file outside every workspace folder.
 */
export interface WorkspaceAwsFile {
  variable: 'AWS_CONFIG_FILE' | 'AWS_SHARED_CREDENTIALS_FILE';
  /** The file as the variable names it. */
  path: string;
  /** The workspace folder it is in; for a relative path, the directory it was read from. */
  folder: string;
  /** The variable names a relative path: the file of whichever directory Switchboard runs in (relativeAwsFile). */
  relative?: true;
}

/**
 * The path with symbolic links followed as far as it exists (a link in the folder may lead out of it, or one outside
 * into it): a file not there yet is taken in the real folder it would be written to (a link to the workspace's `.aws`
 * folder naming a `config` that a pull adds later).
 */
function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}

function inside(file: string, folder: string): boolean {
  const rel = relative(folder, file);
  // Out of the folder is `..` as a whole first segment: a folder of the repository's named `..aws` is inside it.
  return rel === '' || (rel.split(sep)[0] !== '..' && !isAbsolute(rel));
}

/**
 * The first of the two variables that names a file inside one of `folders`, or undefined. A variable naming the file
 * the SDK reads anyway (`~/.aws/config`, `~/.aws/credentials`) is not counted, even with the home folder open as a
 * workspace: it chooses nothing; a link in a folder that leads to it does count, as the repository can retarget it.
 * The path is the one the SDK reads (awsSharedFiles.ts): `~/…` in the home folder, another relative path from the
 * process's directory (`cwd`).
 */
export function awsFileInWorkspace(env: NodeJS.ProcessEnv, folders: readonly string[], home = awsHomeDir(env), cwd = process.cwd()): WorkspaceAwsFile | undefined {
  // Read with the settings, at activation too: nothing touches the disk unless a variable is set.
  if (folders.length === 0 || !Object.values(AWS_FILE_VARIABLES).some((variable) => env[variable])) return undefined;
  const realFolders = folders.map((folder) => ({ folder, real: realPath(resolve(folder)) }));
  for (const [which, variable] of Object.entries(AWS_FILE_VARIABLES) as [keyof typeof AWS_FILE_VARIABLES, WorkspaceAwsFile['variable']][]) {
    // Exactly as the SDK takes it (untrimmed; an empty value is unset there too): " ~/x" is a relative path to it.
    const path = env[variable];
    if (!path) continue;
    const read = resolve(cwd, awsSharedFilePath(env, which, home));
    const real = realPath(read);
    const written = realFolders.find(({ folder }) => inside(read, resolve(folder)));
    // The default file, named as such (the home folder may be open), or by a link that is not the repository's.
    // A link inside a folder that leads to the default file now is still the repository's: one checkout retargets it.
    const defaultFile = join(home, '.aws', which);
    if (read === resolve(cwd, defaultFile) || (!written && real === realPath(defaultFile))) continue;
    const found = written ?? realFolders.find(({ real: realFolder }) => inside(real, realFolder));
    if (found) return { variable, path, folder: found.folder };
  }
  return undefined;
}

/**
 * The first of the two variables that names a relative path (not `~/…`, which the SDK reads in the home folder): the
 * SDK reads it from the process directory, so `AWS_CONFIG_FILE=.aws/config` (an `.env` file loaded into a terminal,
 * a dev container's `remoteEnv`) is the `.aws/config` of every repository `switchboard` is run in, whose
 * `credential_process` runs and whose `endpoint_url` is used. The CLI has no workspace folders to check; this is the
 * rule that holds for it (and for the editor, whose process directory is not the user's choice either).
 */
export function relativeAwsFile(env: NodeJS.ProcessEnv, cwd = process.cwd()): WorkspaceAwsFile | undefined {
  for (const variable of Object.values(AWS_FILE_VARIABLES)) {
    const path = env[variable];
    if (path && !path.startsWith('~/') && !isAbsolute(path)) return { variable, path, folder: cwd, relative: true };
  }
  return undefined;
}

/**
 * Bedrock marked as having a workspace AWS file, or one named by a relative path (the registry leaves it out with
 * workspaceAwsFileReason). The CLI passes no folders.
 */
export function withAwsFilesOutsideWorkspace(config: SwitchboardConfig, env: NodeJS.ProcessEnv, folders: readonly string[], cwd = process.cwd()): SwitchboardConfig {
  const found = awsFileInWorkspace(env, folders, awsHomeDir(env), cwd) ?? relativeAwsFile(env, cwd);
  if (!found) return config;
  return { ...config, providers: { ...config.providers, bedrock: { ...config.providers.bedrock, workspaceAwsFile: found } } };
}

/** Why Bedrock is out, naming the variable, the file and what to do. */
export function workspaceAwsFileReason(found: WorkspaceAwsFile): string {
  if (found.relative) {
    return `${found.variable} is the relative path ${found.path}, the file of whichever directory Switchboard runs in (here ${resolve(found.folder, found.path)}): a repository's file there would choose where Bedrock's requests, signed with your AWS credentials, go (endpoint_url) and could run a command (credential_process), so Switchboard does not use Bedrock; set ${found.variable} to an absolute path (or unset it)`;
  }
  return `${found.variable} names ${found.path}, inside the workspace folder ${found.folder}: a file the repository holds would choose where Bedrock's requests, signed with your AWS credentials, go (endpoint_url) and could run a command (credential_process), so Switchboard does not use Bedrock; point ${found.variable} at a file outside the workspace (or unset it) in the environment VS Code starts with, then reload the window`;
}
