import path from 'node:path';
import { languageIdForPath } from '../core/completion/languageIds';
import { ExcludeMatcher, pathsToMatch } from '../core/exclude';
import { attachment, MAX_ATTACHED_CHARS, type Attachment } from '../core/prompts/attachments';
import { redactSecrets } from '../core/redact';
import { decodeText, looksBinary, readFileStart, readStdin, readStdinBytes } from './cliInput';
import { CliError, type CliIO } from './cliSupport';

/**
 * PROMPT as `ask` and `route` take it: the arguments, or standard input for `-` (or for nothing given while standard
 * input is not a terminal); and the attachments to read, decided before a `-` PROMPT is replaced by what it reads.
 * `noPrompt`: the error when there is no prompt.
 */
export async function readPromptArgs(positionals: readonly string[], attach: readonly string[] | undefined, io: CliIO, noPrompt: string): Promise<{ prompt: string; toAttach: string[] }> {
  let prompt = positionals.join(' ');
  checkStdinAttach(attach, prompt);
  const toAttach = attachmentsToRead(attach, prompt, io);
  if (prompt === '-' || (prompt === '' && !io.stdin.isTTY)) prompt = await readStdin(io);
  if (!prompt.trim()) throw new CliError(noPrompt);
  return { prompt, toAttach };
}

/**
 * Checks `--attach` against the prompt's source before anything is read:
 * standard input can be read once, for the prompt or for one `--attach -`.
 * Shared by `ask` and `route`, so `route` scores what `ask` would send.
 */
function checkStdinAttach(attach: readonly string[] | undefined, prompt: string): void {
  const stdinAttached = (attach ?? []).filter((name) => name === '-').length;
  if (stdinAttached > 1) throw new CliError('--attach - given twice: standard input can be read once');
  if (stdinAttached && (prompt === '-' || prompt === '')) throw new CliError('--attach - reads standard input, so PROMPT must be given as an argument');
}

/**
 * The attachments to read: every `--attach`, and standard input when a shell
 * pipe or a file is on it beside a PROMPT argument (`git diff | switchboard
 * ask "Review this"`, `< notes.md`), as `--attach -` would take it: the user
 * piped it in to be read, and dropping it silently answered a question about
 * text the model never saw. Only a pipe or a file: a program that spawns the
 * CLI with a socket on stdin it never closes (Node's default) must not hang it.
 */
function attachmentsToRead(attach: readonly string[] | undefined, prompt: string, io: CliIO): string[] {
  const given = [...(attach ?? [])];
  if (io.stdinPiped && prompt !== '-' && prompt !== '' && !given.includes('-')) given.push(PIPED);
  return given;
}

/** Standard input attached because it was piped in, not named by `--attach -`: left out when empty. */
const PIPED = '\0piped';

/** Every attachment in the order given (see {@link readAttachment}). */
export async function readAttachments(attach: readonly string[] | undefined, exclude: readonly string[], io: CliIO): Promise<Attachment[]> {
  const excluded = new ExcludeMatcher([...exclude]);
  const attachments: Attachment[] = [];
  for (const file of attach ?? []) {
    const read = await readAttachment(file, excluded, io);
    if (read) attachments.push(read);
  }
  return attachments;
}

/**
 * `--attach FILE`: the file as the chat panel attaches one, labelled with its
 * path from the working directory, key-shaped strings masked; a file matching
 * `exclude` (the editor's `switchboard.exclude`), by its name or by the file a link in its path leads to, is
 * refused before it is read.
 */
async function readAttachment(name: string, excluded: ExcludeMatcher, io: CliIO): Promise<Attachment | undefined> {
  if (name === '-' || name === PIPED) {
    const flag = name === PIPED ? 'piped' : '--attach -';
    const bytes = await readStdinBytes(io, `the ${flag} text`);
    // `< /dev/null`-like empties add nothing; one named by --attach - is still attached, as asked.
    if (name === PIPED && bytes.toString('utf8').trim() === '') return undefined;
    if (looksBinary(bytes)) throw new CliError(`${flag} standard input looks binary; not attached`);
    const attached = attachment('standard input', 'plaintext', decodeText(bytes, `${flag} standard input`, io));
    return { ...attached, text: redactSecrets(attached.text) };
  }
  if (pathsToMatch(path.resolve(io.cwd, name), io.cwd).some((file) => excluded.excludes(file))) {
    throw new CliError(`--attach ${name} is excluded by "exclude" (the defaults or --config); not attached`);
  }
  // Enough bytes for more than MAX_ATTACHED_CHARS characters (at most 3 bytes each), so a longer file is cut and says so.
  const { path: file, size, bytes } = await readFileStart(name, '--attach', io, MAX_ATTACHED_CHARS * 4);
  if (looksBinary(bytes)) throw new CliError(`--attach ${name} looks binary; not attached`);
  const text = decodeText(bytes, `--attach ${name}`, io, size > bytes.length);
  const attached = attachment(path.relative(io.cwd, file) || path.basename(file), languageIdForPath(file), text);
  return { ...attached, text: redactSecrets(attached.text) };
}
