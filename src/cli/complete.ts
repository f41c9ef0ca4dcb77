import path from 'node:path';
import { MAX_COMPLETION_DOCUMENT_CHARS } from '../core/completion/documentWindow';
import { fenceLanguageOff } from '../core/completion/fencedCode';
import { languageIdForPath } from '../core/completion/languageIds';
import { languageOn } from '../core/completion/languages';
import { createRoutedCompletionEngine } from '../core/completion/routedCompletions';
import { NOTHING_OPEN, openBefore } from '../core/completion/stringAtCursor';
import type { SwitchboardConfig } from '../core/config';
import { ExcludeMatcher, pathsToMatch } from '../core/exclude';
import type { RouteResult } from '../core/router';
import type { CliOptions } from './cliOptions';
import { terminalFilter } from './terminalText';
import { decodeText, looksBinary, readFileStart } from './cliInput';
import { CliError, cliSettingName, loadConfig, rejectExtraArguments, type CliIO } from './cliSupport';
import { budgetCrossingLines, closeSwitchboard, openSwitchboard } from './cliSwitchboard';
import { listenForInterruption } from './interruption';
import { noProviderMessage } from './noProvider';
import { budgetSkippedLines, budgetWarning, completionJson, failureMessage } from './resultOutput';

/**
 * Prints the inline completion the editor would insert at a 1-based
 * line and column: the same engine, prompt building and post-processing.
 */
export async function completeCommand(options: CliOptions, rest: string[], io: CliIO): Promise<number> {
  rejectExtraArguments(rest, 'complete');
  if (!options.file) throw new CliError('complete needs --file PATH');
  // ask's "-" for standard input: a completion's language and its exclusions go by the file's name, which a pipe has not.
  if (options.file === '-') throw new CliError('complete reads a file, not standard input (--file -): its language is read from the file\'s extension; save the text to a file (e.g. app.py) and give --file that path');
  const line = positiveInteger(options.line, '--line');
  const column = positiveInteger(options.column, '--column');

  const config = await loadConfig(options.config, io);
  refuseCompletionOff(config, options.config);
  // An excluded file is not even read; neither is sent, as the editor asks nothing there: no request, no ledger record.
  refuseExcluded(options.file, config, io);
  const { path: file, size, bytes } = await readFileStart(options.file, '--file', io, MAX_COMPLETION_DOCUMENT_CHARS);
  if (size > MAX_COMPLETION_DOCUMENT_CHARS) throw new CliError(`--file ${options.file} is larger than ${MAX_COMPLETION_DOCUMENT_CHARS / 1024 / 1024} MiB; not completed`);
  if (looksBinary(bytes)) throw new CliError(`--file ${options.file} looks binary; not completed`);
  refuseLanguageOff(options.file, file, config, options.config);
  const text = decodeText(bytes, `--file ${options.file}`, io);

  const offset = offsetOf(text, line, column, options.file);
  const languageId = languageIdForPath(file);
  const prefixStart = Math.max(0, offset - config.completion.prefixChars * 2);
  refuseFenceLanguageOff(options.file, line, config, languageId, text.slice(prefixStart, offset), options.config);
  const switchboard = await openSwitchboard(config, options.config, options.ledger, io);

  let result: RouteResult | undefined;
  const runs: Promise<RouteResult>[] = [];
  const engine = createRoutedCompletionEngine(switchboard, { onResult: (r) => (result = r), onRun: (run) => runs.push(run), oneShot: true });
  const interruption = listenForInterruption(io);
  const suffixBudget = config.completion.suffixChars;
  // The whole file is at hand: a docstring or template opened above the text sent is known, as in the editor.
  const openAtStart = openBefore(text.slice(0, prefixStart), languageId, NOTHING_OPEN);
  // A script asks once: no pause in typing to wait for.
  const completion = await engine.complete(
    {
      uri: file,
      languageId,
      relativePath: path.relative(io.cwd, file) || path.basename(file),
      prefix: text.slice(prefixStart, offset),
      suffix: text.slice(offset, offset + suffixBudget * 2),
      line: line - 1,
      // From the whole file: the window around the cursor may hold no line break to tell by.
      eol: /\r\n/.test(text.slice(0, text.indexOf('\n') + 1)) ? '\r\n' : '\n',
      ...(openAtStart && { openAtStart }),
    },
    interruption.signal,
  );
  // Stops a request still running (interrupted), then waits for its record before the ledger is flushed.
  engine.dispose();
  await Promise.allSettled(runs);
  interruption.dispose();
  const overBudget = result && budgetWarning(result, switchboard, cliSettingName(options.config));
  const crossed = await budgetCrossingLines(switchboard);
  await closeSwitchboard(switchboard, io);
  for (const skipped of result ? budgetSkippedLines(result) : []) io.stderr(`switchboard: warning: ${skipped}\n`);
  if (overBudget) io.stderr(`switchboard: warning: ${overBudget}\n`);
  for (const crossing of crossed) io.stderr(`switchboard: warning: ${crossing}\n`);
  if (interruption.signal.aborted) {
    if (!interruption.readerGone()) io.stderr('switchboard: cancelled\n');
    return interruption.exitCode();
  }
  const inserted = completion?.text ?? '';
  const stats = engine.stats();
  const noRequestHere = stats.skipped > 0 || stats.finishedLines > 0;
  // The engine stays quiet while the router would refuse (right for an editor); a script is told why. Where the
  // editor would ask nothing anyway, that comes first: the setup was not why nothing came.
  const refused = stats.refused > 0 || noRequestHere ? switchboard.router.refusal('completion') : undefined;
  if (refused) {
    if (noRequestHere) io.stderr(`switchboard: no completion: ${whyEmpty(undefined, stats.skipped > 0, stats.finishedLines > 0)}\n`);
    // A script reading --json gets its object here too, as for a request that failed (stdout was empty).
    if (options.json && (refused.kind === 'no-credentials' || refused.kind === 'empty-route')) io.stdout(`${JSON.stringify(completionJson(undefined, '', refused.message))}\n`);
    if (refused.kind === 'no-credentials') throw new CliError(noProviderMessage(refused, switchboard.registry, 'the completion route', options.config, io.cwd), 1);
    throw new CliError(refused.message, 1);
  }

  const failed = result?.record.outcome === 'error';
  // As ask --json does: a script gets the failed request's object (attempts, error) as well as the exit code.
  if (failed && options.json) io.stdout(`${JSON.stringify(completionJson(result, ''))}\n`);
  if (failed) throw new CliError(failureMessage(result!, switchboard, 'the completion failed', { configFile: options.config, env: io.env }), 1);
  // An empty completion is a plain outcome in the editor (no ghost text); a script, or a user trying the CLI, is told why.
  if (!inserted) io.stderr(`switchboard: no completion: ${whyEmpty(result, stats.skipped > 0, stats.finishedLines > 0)}\n`);
  if (options.json) {
    io.stdout(`${JSON.stringify(completionJson(result, inserted))}\n`);
  } else {
    const shown = io.stdoutIsTTY ? terminalFilter() : undefined;
    // Text output ends with a line end, as git's and `jq -r`'s does, on a terminal or not: without one the shell's
    // prompt follows the completion on its line, `wc -l` counts a one-line completion as none and `while read` drops
    // it. The exact insertion is --json's "text". Nothing at all when there is no completion.
    const lineEnd = inserted && !inserted.endsWith('\n') ? '\n' : '';
    io.stdout(shown ? shown.write(inserted) + shown.end() + lineEnd : inserted + lineEnd);
  }
  return 0;
}

/**
 * Why `complete` has nothing to print: no request made where the editor makes none, a model that answered with no
 * text, or an answer that held nothing to insert once cleaned as the editor cleans it.
 */
function whyEmpty(result: RouteResult | undefined, inCode: boolean, finishedStatement: boolean): string {
  if (inCode) return 'code follows the cursor on its line, where the editor asks for no ghost text (only at a line\'s end or before closing brackets and punctuation); nothing was sent';
  if (finishedStatement) return 'the line ends a finished statement, where the editor asks for nothing until the next line; nothing was sent (put --line on the line below)';
  if (!result) return 'no request was made';
  const model = `${result.record.provider}:${result.record.model}`;
  if (!result.text.trim()) return `${model} answered with no text`;
  return `${model} answered ${result.text.length} characters, none of them to insert here once cleaned as the editor cleans them (a repeat of the code around the cursor, a fence, chatter or a refusal)`;
}

/** A file matching `exclude` (by its name or by where a link in its path leads) is never completed, as in the editor; said as `--attach` says it. */
function refuseExcluded(name: string, config: SwitchboardConfig, io: CliIO): void {
  const excluded = new ExcludeMatcher([...config.exclude]);
  if (pathsToMatch(path.resolve(io.cwd, name), io.cwd).some((candidate) => excluded.excludes(candidate))) {
    throw new CliError(`--file ${name} is excluded by "exclude" (the defaults or --config); not completed`);
  }
}

/**
 * Ghost text turned off altogether (`completion.enabled` false, which only a --config file can say): the editor
 * shows none anywhere, so nothing is sent. It was completed as if on, the setting unread.
 */
function refuseCompletionOff(config: SwitchboardConfig, configFile: string | undefined): void {
  if (config.completion.enabled) return;
  throw new CliError(`ghost text is off by completion.enabled (false in ${configFile ?? 'a --config file'}); not completed. {"completion": {"enabled": true}} turns it on`, 1);
}

/**
 * Nor one whose language `completion.languages` turns off (read from its extension, as `languageIdForPath` does):
 * the message names the language, the setting, and the entry that turns it on.
 */
function refuseLanguageOff(name: string, file: string, config: SwitchboardConfig, configFile: string | undefined): void {
  const languageId = languageIdForPath(file);
  if (languageOn(config.completion.languages, languageId)) return;
  const where = configFile ? `in ${configFile} or its defaults` : 'its defaults turn off markdown and plaintext';
  const read = languageId === 'plaintext' && !/\.txt$/i.test(file) ? ' (its extension is not one complete knows)' : '';
  throw new CliError(
    `--file ${name} is ${languageId}${read}, where ghost text is off by completion.languages (${where}); not completed. ` +
      `{"completion": {"languages": {"${languageId}": true}}} in a --config file turns it on`,
    1,
  );
}

/**
 * Nor a Markdown code block whose language (its fence's info string, ```` ```python ````) `completion.languages`
 * turns off, as the editor asks nothing there (see fenceLanguageOff).
 */
function refuseFenceLanguageOff(name: string, line: number, config: SwitchboardConfig, languageId: string, prefix: string, configFile: string | undefined): void {
  const off = fenceLanguageOff(config.completion.languages, languageId, prefix);
  if (off === undefined) return;
  throw new CliError(
    `--file ${name} line ${line} is in a ${off} code block, where ghost text is off by completion.languages (${configFile ? `in ${configFile} or its defaults` : 'its defaults'}); not completed. ` +
      `{"completion": {"languages": {"${off}": true}}} in a --config file turns it on`,
    1,
  );
}

function positiveInteger(value: string | undefined, flag: string): number {
  if (value === undefined) throw new CliError(`complete needs ${flag} N (1-based)`);
  // Digits only: Number() would also take "0x10", "1e3" and " 7", positions nobody means.
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError(`${flag} "${value}" must be a whole number from 1`);
  return n;
}

/** The offset of a 1-based line and column (in UTF-16 code units, as VS Code counts). */
function offsetOf(text: string, line: number, column: number, file: string): number {
  let start = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', start);
    if (next === -1) throw new CliError(`--line ${line} is past the end of ${file} (${current} lines)`);
    start = next + 1;
  }
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  if (end > start && text[end - 1] === '\r') end--;
  if (column - 1 > end - start) throw new CliError(`--column ${column} is past the end of line ${line} (${end - start} characters)`);
  return start + column - 1;
}
