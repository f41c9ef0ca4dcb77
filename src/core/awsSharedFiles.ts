import { homedir } from 'node:os';
import { join, sep } from 'node:path';

/**
 * Where the AWS SDK reads its shared config and credentials files, found as @smithy's shared-ini-file-loader finds
 * them, so that what Switchboard checks or reads (awsWorkspaceFiles.ts, awsConfiguredEndpoint.ts, credentials.ts) is
 * the file the SDK will read: AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE as set (untrimmed), else
 * `~/.aws/config` or `~/.aws/credentials`; a path starting `~/` is the home folder's (the SDK expands it; a shell
 * would have too, but a variable set by a dev container's remoteEnv or an `.envrc` may keep it); any other relative
 * path is the process directory's, as `fs` reads it.
 */

export const AWS_FILE_VARIABLES = { config: 'AWS_CONFIG_FILE', credentials: 'AWS_SHARED_CREDENTIALS_FILE' } as const;

/** The home folder as the AWS SDK finds it (getHomeDir): HOME, USERPROFILE, HOMEDRIVE with HOMEPATH, then the system's. */
export function awsHomeDir(env: NodeJS.ProcessEnv): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? `C:${sep}`}${env.HOMEPATH}`;
  return homedir();
}

/** The path the AWS SDK reads for its shared `which` file: the variable's (a leading `~/` expanded), else the default. */
export function awsSharedFilePath(env: NodeJS.ProcessEnv, which: keyof typeof AWS_FILE_VARIABLES, home = awsHomeDir(env)): string {
  const named = env[AWS_FILE_VARIABLES[which]];
  if (!named) return join(home, '.aws', which);
  return named.startsWith('~/') ? join(home, named.slice(2)) : named;
}
