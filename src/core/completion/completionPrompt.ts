import type { ModelRequest } from '../types';
import type { ContextSnippet } from './contextSnippets';
import { asComment, commentSyntax } from './languages';
import { headAtLineBoundary, tailAtLineBoundary } from './textWindow';

export interface CompletionContext {
  languageId: string;
  /** Workspace-relative path, shown to the model. */
  relativePath: string;
  /** Text before the cursor; may be the whole rest of the document, only its end is read. */
  prefix: string;
  /** Text after the cursor; may be the whole rest of the document, only its start is read. */
  suffix: string;
  /** Best first; kept while they fit the snippet budget. */
  snippets: readonly ContextSnippet[];
}

export interface PromptBudgets {
  prefixChars: number;
  suffixChars: number;
  snippetChars: number;
}

export const DEFAULT_PROMPT_BUDGETS: PromptBudgets = { prefixChars: 6_000, suffixChars: 1_500, snippetChars: 2_000 };

export interface PromptOptions {
  /** Send the native fill-in-the-middle form (with the chat form alongside for a fallback model). */
  fim: boolean;
  multiline: boolean;
  /** The cursor ends a finished line: ask for the lines that follow it (see `asksForNextLines`). */
  nextLine?: boolean;
  maxTokens: number;
  temperature?: number;
}

/** Replaced by the model's answer in the chat form; unlikely to occur in real code. */
export const FILL_MARKER = '{{FILL_HERE}}';

const SYSTEM_PROMPT = [
  'You are a code completion engine inside an editor.',
  `You receive one source file in which the ${FILL_MARKER} marker shows the cursor.`,
  `Reply with ONLY the text to insert at the marker, so that the file reads correctly with it in place of ${FILL_MARKER}.`,
  'No markdown fences, no explanation, no comments about your answer.',
  'Do not repeat any code that is already before or after the marker.',
  "Match the file's indentation and style.",
  'If nothing should be inserted, reply with nothing.',
].join('\n');

/**
 * One completion request. The chat form (`messages`) is always present, since
 * the router may fall back from a FIM model to a chat model; `fim` is added
 * for native fill-in-the-middle models.
 *
 * Stop sequences: a FIM model continues code for as long as it is allowed, so
 * single-line requests stop at the line break and multi-line ones at a run of
 * blank lines. The chat form has none: Anthropic and Bedrock reject stop
 * sequences made only of whitespace, and post-processing cuts anyway.
 */
export function buildCompletionRequest(context: CompletionContext, budgets: PromptBudgets, options: PromptOptions): ModelRequest {
  const prefix = withLineFeeds(tailAtLineBoundary(context.prefix, budgets.prefixChars));
  const suffix = withLineFeeds(headAtLineBoundary(context.suffix, budgets.suffixChars));
  const snippets = fitSnippets(context.snippets, budgets.snippetChars);
  const request: ModelRequest = {
    system: SYSTEM_PROMPT,
    messages: [{ role: 'user', content: chatPrompt(context, prefix, suffix, snippets, scopeOf(options)) }],
    maxTokens: options.maxTokens,
    ...(options.temperature !== undefined && { temperature: options.temperature }),
  };
  if (options.fim) {
    request.fim = { prefix: fimHeader(context, snippets) + prefix, suffix };
    request.stop = options.multiline ? ['\n\n\n'] : ['\n'];
  }
  return request;
}

/**
 * The window with `\n` line breaks only. A CRLF document's `\r` would reach
 * the model as stray characters in a prompt whose other lines end in `\n`,
 * and a FIM model that copies them writes `\r\n`, which the multi-line stop
 * sequence (`\n\n\n`) never matches: it would run to its token limit.
 * Post-processing gives the answer the document's line breaks back.
 */
function withLineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * Path, language and snippets as comments in the file's own syntax, so a FIM
 * model reads them as part of the file. Languages without comments get none.
 */
function fimHeader(context: CompletionContext, snippets: readonly ContextSnippet[]): string {
  const syntax = commentSyntax(context.languageId);
  const parts = [`Path: ${context.relativePath}`, `Language: ${context.languageId}`];
  for (const snippet of snippets) parts.push(`Compare this snippet from ${snippet.path}:\n${snippet.text}`);
  const header = asComment(parts.join('\n'), syntax);
  return header === undefined ? '' : `${header}\n`;
}

/** What the chat form asks for, by the kind of request. */
function scopeOf(options: PromptOptions): string {
  if (options.nextLine) {
    return 'The line at the marker is finished: continue with the lines that follow it, starting with a line break, no further than the end of the current block.';
  }
  return options.multiline
    ? 'Complete the code at the marker: as many lines as the surrounding code needs, and no further than the end of the current block.'
    : 'Complete only the rest of the current line at the marker.';
}

function chatPrompt(
  context: CompletionContext,
  prefix: string,
  suffix: string,
  snippets: readonly ContextSnippet[],
  scope: string,
): string {
  const parts = [`File: ${context.relativePath} (${context.languageId})`, scope];
  if (snippets.length > 0) {
    parts.push('Code from other files that may help:');
    for (const snippet of snippets) parts.push(`<snippet path="${snippet.path}">\n${snippet.text}\n</snippet>`);
  }
  parts.push(`<file path="${context.relativePath}">\n${prefix}${FILL_MARKER}${suffix}\n</file>`);
  return parts.join('\n\n');
}

/** Snippets in order while they fit; the first one that does not is cut at a line if enough of it remains. */
function fitSnippets(snippets: readonly ContextSnippet[], budgetChars: number): ContextSnippet[] {
  const kept: ContextSnippet[] = [];
  let remaining = budgetChars;
  for (const snippet of snippets) {
    if (snippet.text.length <= remaining) {
      kept.push(snippet);
      remaining -= snippet.text.length;
    } else if (remaining >= MIN_USEFUL_SNIPPET) {
      kept.push({ ...snippet, text: headAtLineBoundary(snippet.text, remaining) });
      remaining = 0;
    }
    if (remaining < MIN_USEFUL_SNIPPET) break;
  }
  return kept;
}

const MIN_USEFUL_SNIPPET = 200;
