import * as vscode from 'vscode';
import { DEFAULT_EXCLUDE, ExcludeMatcher, fileIdentity, filesExcludePatterns, pathsToMatch } from '../core/exclude';

/** What the chat panel, Plan and Explain Selection say about a file they leave out. */
const EXCLUDED_BY_SETTING = 'excluded by switchboard.exclude';
const EXCLUDED_BY_FILES_EXCLUDE = 'excluded by files.exclude';
const USER_DATA_NEVER_SENT = "one of VS Code's own settings files";

/**
 * VS Code keeps the user's settings, keybindings, snippets and profiles under
 * this scheme on the desktop; other extensions' tokens sometimes sit in those
 * settings. A remote extension host (code-server, SSH) sees the same files as
 * `file:` URIs in the user data folder, so that folder is excluded too.
 */
const USER_DATA_SCHEME = 'vscode-userdata';
const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';
/** Answers kept per document URI; beyond this many the cache starts over. */
const MAX_CACHED = 5_000;

interface FolderMatchers {
  own: ExcludeMatcher;
  files: ExcludeMatcher;
}

let userPatterns: () => readonly string[] = () => DEFAULT_EXCLUDE;
let userDataFolder: vscode.Uri | undefined;
let matchedPatterns: readonly string[] | undefined;
const matchersByFolder = new Map<string, FolderMatchers>();
/**
 * A decision, and for a file on disk the path it was decided for and the file that path led to then (see
 * fileIdentity): a link re-pointed since (a repository's notes.md now leading to ~/.aws/credentials) leads to
 * another file, and is decided again.
 */
interface Answer {
  excluded: string | null;
  file?: DecidedFile;
}
interface DecidedFile {
  path: string;
  identity: string | undefined;
  round: number;
}
const answers = new Map<string, Answer>();
/**
 * A file's path is followed again at most once a round. Each exclusionOf / isExcluded call (a completion request's
 * document, an attachment, a command) starts one; the snippet collector's many look-ups that follow in the same
 * completion (isExcludedUri, the same documents again and again) share it.
 */
let round = 0;

/**
 * Why the text of `uri` must never be sent to a model (to show the user), or
 * undefined when it may be. Called on every completion request: the globs are
 * compiled once per folder and the answer is cached per URI until a setting
 * or the workspace folders change, and for a file on disk while its path still
 * leads to the same file (one stat call, about 3 µs on a local disk, per file and round).
 */
export function exclusionOf(uri: vscode.Uri): string | undefined {
  round++;
  return answerFor(uri.toString(), () => uri);
}

export function isExcluded(uri: vscode.Uri): boolean {
  return exclusionOf(uri) !== undefined;
}

/** The same, for a URI kept as a string (the snippet collector's keys): parsed only when not decided yet. */
export function isExcludedUri(uri: string): boolean {
  return answerFor(uri, () => vscode.Uri.parse(uri)) !== undefined;
}

function answerFor(key: string, parse: () => vscode.Uri): string | undefined {
  const patterns = userPatterns();
  if (patterns !== matchedPatterns) forget(patterns);
  const known = answers.get(key);
  if (known && (!known.file || stillLeadsWhere(known.file))) return known.excluded ?? undefined;
  const uri = parse();
  // Resolved before deciding: a link re-pointed between the two is then decided again at the next look-up.
  const file = uri.scheme === 'file' ? { path: uri.fsPath, identity: fileIdentity(uri.fsPath), round } : undefined;
  const answer: Answer = { excluded: decide(uri) ?? null, ...(file ? { file } : {}) };
  if (answers.size >= MAX_CACHED) answers.clear();
  answers.set(key, answer);
  return answer.excluded ?? undefined;
}

/**
 * Attachments taken from `uri`, or, when it is excluded, the same attachments
 * marked with why (the chat shows it on their chips) and without their text.
 */
export function refuseExcluded<T extends { text: string; excluded?: string }>(uri: vscode.Uri, attachments: T[]): T[] {
  const excluded = exclusionOf(uri);
  return excluded ? attachments.map((attachment) => ({ ...attachment, text: '', excluded })) : attachments;
}

/**
 * Starts following the user's `switchboard.exclude` (read through `patterns`,
 * the validated settings) and `files.exclude`; cached answers are dropped when
 * either or the workspace folders change. `globalStorage` is the extension's
 * `globalStorageUri`, which VS Code keeps in `<user data>/User/globalStorage/<id>`.
 */
export function watchExclusions(patterns: () => readonly string[], globalStorage: vscode.Uri): vscode.Disposable {
  userPatterns = patterns;
  userDataFolder = vscode.Uri.joinPath(globalStorage, '..', '..');
  forget(undefined);
  const subscriptions = [
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('files.exclude')) forget(undefined);
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => forget(undefined)),
  ];
  return new vscode.Disposable(() => {
    for (const subscription of subscriptions) subscription.dispose();
    userPatterns = () => DEFAULT_EXCLUDE;
    userDataFolder = undefined;
    forget(undefined);
  });
}

function stillLeadsWhere(file: DecidedFile): boolean {
  if (file.round === round) return true;
  if (fileIdentity(file.path) !== file.identity) return false;
  file.round = round;
  return true;
}

function forget(patterns: readonly string[] | undefined): void {
  matchedPatterns = patterns;
  matchersByFolder.clear();
  answers.clear();
}

function decide(uri: vscode.Uri): string | undefined {
  if (uri.scheme === USER_DATA_SCHEME || (userDataFolder && uri.scheme === userDataFolder.scheme && relativeTo(userDataFolder.path, uri.path) !== uri.path)) {
    return USER_DATA_NEVER_SENT;
  }
  // An untitled editor has no path to match; it is what the user is typing now.
  if (uri.scheme === 'untitled') return undefined;
  // A cell is as excluded as its notebook. Its own URI belongs to no workspace folder (another scheme), so a
  // pattern relative to the folder (`private/**`) would never match it, and the cell's code would be sent.
  if (uri.scheme === NOTEBOOK_CELL_SCHEME) return decide(notebookOf(uri));
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const path = folder ? relativeTo(folder.uri.path, uri.path) : uri.path;
  // A file on disk is judged by where a link in its path leads too (see pathsToMatch); once per URI, as cached.
  const paths = uri.scheme === 'file' ? [path, ...pathsToMatch(uri.fsPath, folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined)] : [path];
  const matchers = matchersFor(folder);
  if (paths.some((candidate) => matchers.own.excludes(candidate))) return EXCLUDED_BY_SETTING;
  if (paths.some((candidate) => matchers.files.excludes(candidate))) return EXCLUDED_BY_FILES_EXCLUDE;
  return undefined;
}

/**
 * The notebook a cell URI belongs to: an open notebook at the same path (a cell's URI has its notebook's path; its
 * authority may differ: a `file:` notebook's cells can carry the window's remote authority), else the file at that path.
 */
function notebookOf(cell: vscode.Uri): vscode.Uri {
  const open = vscode.workspace.notebookDocuments.find((notebook) => notebook.uri.path === cell.path);
  return open?.uri ?? cell.with({ scheme: 'file', authority: '', fragment: '' });
}

function matchersFor(folder: vscode.WorkspaceFolder | undefined): FolderMatchers {
  const key = folder?.uri.toString() ?? '';
  let matchers = matchersByFolder.get(key);
  if (!matchers) {
    // Every level of files.exclude, so that a workspace can add patterns but never take the user's away.
    const levels = vscode.workspace.getConfiguration('files', folder?.uri).inspect<unknown>('exclude');
    matchers = {
      own: new ExcludeMatcher(matchedPatterns ?? userPatterns()),
      files: new ExcludeMatcher(filesExcludePatterns([levels?.defaultValue, levels?.globalValue, levels?.workspaceValue, levels?.workspaceFolderValue])),
    };
    matchersByFolder.set(key, matchers);
  }
  return matchers;
}

function relativeTo(folderPath: string, path: string): string {
  const base = folderPath.endsWith('/') ? folderPath : `${folderPath}/`;
  return path.startsWith(base) ? path.slice(base.length) : path;
}
