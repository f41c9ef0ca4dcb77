import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
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
  /** The workspace folder it is in. */
  folder: string;
}

const VARIABLES = [
  ['AWS_CONFIG_FILE', 'config'],
  ['AWS_SHARED_CREDENTIALS_FILE', 'credentials'],
] as const;

/** The path with symbolic links followed as far as it exists (a link in the folder may lead out of it, or one outside into it). */
function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/**
 * The file the AWS SDK reads for the variable's value: a value starting `~/` is under the home folder
 * (@smithy/shared-ini-file-loader's loadSharedConfigFiles: HOME, USERPROFILE, then the account's), anything else
 * from the process's directory. `~/repo/.aws/config` with ~/repo open is the repository's file: read relative to the
 * directory, it would be a folder named `~` that is nowhere near it.
 */
function asTheSdkReads(path: string, home: string, cwd: string): string {
  return path.startsWith('~/') ? resolve(cwd, join(home, path.slice(2))) : resolve(cwd, path);
}

function inside(file: string, folder: string): boolean {
  const rel = relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The first of the two variables that names a file inside one of `folders`, or undefined. A variable naming the file
 * the SDK reads anyway (`~/.aws/config`, `~/.aws/credentials`) is not counted, even with the home folder open as a
 * workspace: it chooses nothing; a link in a folder that leads to it does count, as the repository can retarget it. A path is read as the SDK reads it: `~/…` under `home`, a relative one from the process's directory (`cwd`).
 */
export function awsFileInWorkspace(env: NodeJS.ProcessEnv, folders: readonly string[], home = env.HOME || env.USERPROFILE || homedir(), cwd = process.cwd()): WorkspaceAwsFile | undefined {
  if (folders.length === 0) return undefined;
  const realFolders = folders.map((folder) => ({ folder, real: realPath(resolve(folder)) }));
  for (const [variable, defaultName] of VARIABLES) {
    // Exactly as the SDK takes it (untrimmed; an empty value is unset there too): " ~/x" is a relative path to it.
    const path = env[variable];
    if (!path) continue;
    const read = asTheSdkReads(path, home, cwd);
    const real = realPath(read);
    const written = realFolders.find(({ folder }) => inside(read, resolve(folder)));
    // The default file, named as such (the home folder may be open), or by a link that is not the repository's.
    // A link inside a folder that leads to the default file now is still the repository's: one checkout retargets it.
    const defaultFile = join(home, '.aws', defaultName);
    if (read === resolve(cwd, defaultFile) || (!written && real === realPath(defaultFile))) continue;
    const found = written ?? realFolders.find(({ real: realFolder }) => inside(real, realFolder));
    if (found) return { variable, path, folder: found.folder };
  }
  return undefined;
}

/** Bedrock marked as having a workspace AWS file (the registry leaves it out with workspaceAwsFileReason). */
export function withAwsFilesOutsideWorkspace(config: SwitchboardConfig, env: NodeJS.ProcessEnv, folders: readonly string[]): SwitchboardConfig {
  const found = awsFileInWorkspace(env, folders);
  if (!found) return config;
  return { ...config, providers: { ...config.providers, bedrock: { ...config.providers.bedrock, workspaceAwsFile: found } } };
}

/** Why Bedrock is out, naming the variable, the file and what to do. */
export function workspaceAwsFileReason(found: WorkspaceAwsFile): string {
  return `${found.variable} names ${found.path}, inside the workspace folder ${found.folder}: a file the repository holds would choose where Bedrock's requests, signed with your AWS credentials, go (endpoint_url) and could run a command (credential_process), so Switchboard does not use Bedrock; point ${found.variable} at a file outside the workspace (or unset it) in the environment VS Code starts with, then reload the window`;
}
