import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch/posix';

/**
 * Files whose text never leaves the machine: `switchboard.exclude` plus the
 * user's `files.exclude`. Globs follow VS Code's `files.exclude`: matched
 * against the path relative to the workspace folder (`/`-separated), `*` and
 * `**` match dot files, and a pattern that matches a folder excludes
 * everything in it (a pattern for the `node_modules` folder hides `node_modules/x/y.js`).
 *
 * Two deliberate differences, both towards excluding more: matching ignores
 * case (`.ENV`, `Secrets/` on a case-insensitive disk), and a file outside
 * every workspace folder is matched by its absolute path, so that
 * `~/.aws/credentials` opened on its own is excluded too.
 */
export const DEFAULT_EXCLUDE: readonly string[] = [
  '**/.env*',
  // docker compose's `env_file: config/prod.env`, systemd's EnvironmentFile: .env's passwords under another name.
  '**/*.env',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/id_{rsa,dsa,ecdsa,ed25519}*',
  '**/.ssh/**',
  '**/.aws/**',
  '**/credentials',
  '**/credentials.json',
  '**/.npmrc',
  '**/.pypirc',
  '**/.netrc',
  '**/.git-credentials',
  '**/secrets/**',
  // Less common homes, as often committed by mistake: Cloudflare's local secrets, Terraform's state and variables
  // (passwords in plain text), a cluster's or registry's login, PostgreSQL's password file, keystores and key vaults.
  '**/.dev.vars*',
  '**/*.tfstate*',
  '**/*.tfvars',
  '**/.kube/**',
  '**/.docker/config.json',
  '**/.pgpass',
  '**/.gnupg/**',
  '**/*.ppk',
  '**/*.jks',
  '**/*.keystore',
  '**/*.kdbx',
  '**/.htpasswd',
  // Command-line tools' logins in the home folder: GitHub CLI's token, Google Cloud's and Azure's credentials and
  // token caches, Cargo's and Terraform Cloud's registry tokens, Vault's token, Podman's registry logins.
  '**/.config/gh/hosts.yml',
  '**/.config/gcloud/**',
  '**/.azure/**',
  '**/.cargo/credentials.toml',
  '**/.terraform.d/credentials.tfrc.json',
  '**/.vault-token',
  '**/.config/containers/auth.json',
];

const GLOB_OPTIONS = { dot: true, nocase: true } as const;

/** Why a glob cannot be used, or undefined when it compiles. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'is empty';
  try {
    picomatch(pattern, GLOB_OPTIONS);
    return undefined;
  } catch (error) {
    return `is not a valid glob (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * The patterns of one or more `files.exclude` values (default, user, workspace,
 * folder: VS Code's levels) that say `true`. A level can only add: `false` at
 * one level does not take back another level's `true`, so a workspace cannot
 * un-exclude what the user excluded. `{ "when": … }` entries are left out: they
 * hide a file generated from a sibling (`.js` beside its `.ts`), which holds
 * nothing its source does not.
 */
export function filesExcludePatterns(levels: readonly unknown[]): string[] {
  const patterns = new Set<string>();
  for (const level of levels) {
    if (!level || typeof level !== 'object' || Array.isArray(level)) continue;
    for (const [pattern, value] of Object.entries(level as Record<string, unknown>)) {
      if (value === true && globProblem(pattern) === undefined) patterns.add(pattern);
    }
  }
  return [...patterns];
}

/**
 * All patterns compiled once into one test. `excludes` runs on every
 * completion request, so callers keep one matcher per set of patterns and
 * cache its answers per document.
 */
export class ExcludeMatcher {
  private readonly test: (path: string) => boolean;
  readonly patterns: readonly string[];

  constructor(patterns: readonly string[]) {
    this.patterns = patterns.filter((pattern) => globProblem(pattern) === undefined);
    this.test = this.patterns.length > 0 ? picomatch([...this.patterns], GLOB_OPTIONS) : () => false;
  }

  /** `path`: relative to its workspace folder, or absolute for a file outside every folder; `/`-separated. */
  excludes(path: string): boolean {
    const parts = path.replace(/^\/+/, '').split('/').filter((part) => part !== '');
    // The file, then each folder that holds it: a pattern matching a folder excludes its contents.
    for (let end = parts.length; end > 0; end--) {
      if (this.test(parts.slice(0, end).join('/'))) return true;
    }
    return false;
  }
}

/**
 * The paths to match for the file at `file` (absolute, as the platform writes it) in the workspace folder
 * `folder` (absolute, or undefined for a file outside every folder): the path as named, and, when the file is a
 * symbolic link or lies under one, the path of the file it leads to. A repository can hold `notes.md` linking to
 * `~/.aws/credentials` or `docs/setup.txt` linking to `../.env`: judged by its own name alone, the credentials
 * would be attached, sent as context or completed in. Each path is relative to the folder when inside it,
 * absolute otherwise, `/`-separated, as `ExcludeMatcher.excludes` takes them. A file that cannot be resolved
 * (gone, unreadable) is judged by its name; reading it fails anyway.
 */
export function pathsToMatch(file: string, folder: string | undefined): string[] {
  const named = matchablePath(file, folder);
  const real = realPath(file);
  if (real === undefined) return [named];
  // The folder itself may be reached through a link (`/tmp` on macOS), so its real path is what a real file is under.
  const resolved = matchablePath(real, folder === undefined ? undefined : (realPath(folder) ?? folder));
  return resolved === named ? [named] : [named, resolved];
}

/** Where `file` really is, every link in its path followed; undefined when it cannot be resolved (gone, unreadable). */
export function realPath(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/**
 * Which file `file` leads to now, every link in its path followed: its device and inode, or undefined when it
 * cannot be reached (gone, unreadable). One stat call, a path walk, where `realPath` reads each component's link
 * in turn (a quarter of the time on a local disk, see bench/exclusionLinks.ts, and one round trip instead of one a
 * component on a network disk): for telling whether a path decided before still leads to the same file. A link
 * re-pointed to another file gives another identity; only another name for the very same file (a hard link) does
 * not, and its text is the one already judged.
 */
export function fileIdentity(file: string): string | undefined {
  try {
    const stats = statSync(file, { bigint: true, throwIfNoEntry: false });
    return stats && `${stats.dev}:${stats.ino}`;
  } catch {
    return undefined;
  }
}

function matchablePath(file: string, folder: string | undefined): string {
  if (folder !== undefined) {
    const relative = path.relative(folder, file);
    const inside = relative !== '' && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
    if (inside) return relative.split(path.sep).join('/');
  }
  return file.split(path.sep).join('/');
}
