/**
 * Whether attached code lets untrusted input reach something dangerous: a command, `eval`, a deserialiser, a file
 * path, a fixed-size buffer, a redirect, or SQL built from strings. Such code is what a security review is about,
 * whatever language the question is asked in and however few words ask it ("这段代码有没有 SQL 注入风险？", "Anything wrong
 * with this?" over `exec('ping ' + req.query.host)`): read as any short question over a few lines, it went cheap.
 *
 * Read from the code tokens as they are hashed (featureBags.ts), so it costs a table look-up per token: a source of
 * input and a sink anywhere in the attached code, not a data flow. That over-reads code that takes input and also
 * runs a fixed command, which is why it only counts where the request asks about the code (a review or a security
 * question), never for an edit.
 */
import { wordHash } from './featureHashing';
import { isSpace } from './characters';

/** Identifiers that are input from outside on their own: PHP's superglobals, argv, Rails' `params`, Java's and Go's readers. */
export const INPUT_SOURCE_TOKENS: readonly string[] = [
  '$_get', '$_post', '$_request', '$_cookie', '$_files', '$_server', '_get', '_post', '_request', '_cookie', '_files',
  'argv', 'params', 'getparameter', 'getparametervalues', 'getheader', 'getinputstream', 'formvalue', 'postformvalue',
  'query_params', 'querystring', 'getquery', 'get_json', 'stdin',
  // In the browser the request is the page's address and where it came from: `new URLSearchParams(location.search)`,
  // `document.referrer`.
  'urlsearchparams', 'referrer',
];
/** A request object's members that hold what the client sent (`req.query`, `request.args`, `r.URL.Query()`, `ctx.params`). */
export const INPUT_OBJECTS: readonly string[] = ['req', 'request', 'ctx', 'url', 'event', 'r'];
export const INPUT_MEMBERS: readonly string[] = ['query', 'params', 'body', 'args', 'form', 'data', 'json', 'values', 'files', 'cookies', 'headers', 'path', 'get', 'post'];

/**
 * Calls that run, load, write or send the browser to what they are given: commands, code, object streams, files
 * served, C strings, redirects.
 */
export const SINK_TOKENS: readonly string[] = [
  'exec', 'execsync', 'execfile', 'system', 'popen', 'shell_exec', 'passthru', 'proc_open', 'eval', 'pickle', 'cpickle',
  'unserialize', 'readobject', 'objectinputstream', 'binaryformatter', 'marshal', 'sendfile', 'send_file', 'servefile',
  'readfile', 'file_get_contents', 'strcpy', 'strcat', 'gets', 'innerhtml', 'dangerouslysetinnerhtml',
  // Redirects, open where the target comes from the request (`res.redirect(req.query.next)`): Express's and Flask's
  // and Django's `redirect(`, Go's `http.Redirect(`, ASP.NET's `Response.Redirect(`, Spring's `"redirect:" + url`
  // (the word inside the string is a token too), Java's `sendRedirect(`, Django's `HttpResponseRedirect(`.
  'redirect', 'sendredirect', 'httpresponseredirect',
];
/** PHP's `header('Location: ' . $next)`: a redirect, read as `location` right after `header`. */
export const HEADER_OBJECTS: readonly string[] = ['header'];
export const HEADER_MEMBERS: readonly string[] = ['location'];
/**
 * The browser's own redirect: `location.href = next`, `location.assign(next)`, `location.replace(next)` send the page
 * wherever `next` says (an open redirect, and a `javascript:` URL runs script), and `location.search` and
 * `location.hash` are the address the link put there, input as `req.query` is on a server. Read as the member right
 * after `location`, as `path.join` is; `window.location.href` ends the same way.
 */
export const LOCATION_OBJECTS: readonly string[] = ['location'];
export const LOCATION_SINK_MEMBERS: readonly string[] = ['href', 'assign', 'replace'];
export const LOCATION_INPUT_MEMBERS: readonly string[] = ['search', 'hash'];
/** `path.join(…)`, `filepath.Join(…)`, `os.path.join(…)`: a file path put together, a sink when input is part of it. */
export const PATH_OBJECTS: readonly string[] = ['path', 'filepath'];
export const PATH_MEMBERS: readonly string[] = ['join', 'resolve'];
/** SQL's verbs and `where` (also ActiveRecord's and Knex's `.where("…")`): a sink only on a line that builds a string. */
export const SQL_TOKENS: readonly string[] = ['select', 'insert', 'update', 'delete', 'where'];

export const INPUT_SOURCES = new Set(INPUT_SOURCE_TOKENS.map(wordHash));
export const INPUT_OBJECT_HASHES = new Set(INPUT_OBJECTS.map(wordHash));
export const INPUT_MEMBER_HASHES = new Set(INPUT_MEMBERS.map(wordHash));
export const SINKS = new Set(SINK_TOKENS.map(wordHash));
export const PATH_OBJECT_HASHES = new Set(PATH_OBJECTS.map(wordHash));
export const PATH_MEMBER_HASHES = new Set(PATH_MEMBERS.map(wordHash));
export const HEADER_OBJECT_HASHES = new Set(HEADER_OBJECTS.map(wordHash));
export const HEADER_MEMBER_HASHES = new Set(HEADER_MEMBERS.map(wordHash));
export const LOCATION_OBJECT_HASHES = new Set(LOCATION_OBJECTS.map(wordHash));
export const LOCATION_SINK_MEMBER_HASHES = new Set(LOCATION_SINK_MEMBERS.map(wordHash));
export const LOCATION_INPUT_MEMBER_HASHES = new Set(LOCATION_INPUT_MEMBERS.map(wordHash));
export const SQL = new Set(SQL_TOKENS.map(wordHash));

/** SQL words looked at per request: the first few say whether the code builds its queries from strings. */
export const SQL_LINES_LOOKED_AT = 8;

/**
 * Whether the line around `at` puts a string together: `'…' + x`, `"…" . $x` (PHP), `${x}`, `#{x}` (Ruby), an f-string,
 * `"…" % x`, `.format(`, `sprintf(`. A parameterised query (`?`, `%s`, `:name` with the values apart) does none of these.
 */
export function buildsStringAt(text: string, at: number): boolean {
  let start = text.lastIndexOf('\n', at - 1) + 1;
  let end = text.indexOf('\n', at);
  if (end < 0) end = text.length;
  // A query's string often opens on the line before it (`db.execute(\n  f"SELECT …"`) or goes on after it.
  if (start > 0) start = text.lastIndexOf('\n', start - 2) + 1;
  const next = text.indexOf('\n', end + 1);
  end = next < 0 ? text.length : next;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    // `${` and `#{`: interpolation.
    if ((c === 36 || c === 35) && text.charCodeAt(i + 1) === 123) return true;
    // f"…", f'…' (Python), $"…" (C#) after a non-word character.
    if ((c === 102 || c === 36) && (text.charCodeAt(i + 1) === 34 || text.charCodeAt(i + 1) === 39) && !isWordCode(text.charCodeAt(i - 1))) return true;
    if (c === 34 || c === 39) {
      // A quote closing or opening beside `+`, `.` (PHP) or `%` (Python): `"… '" + q`, `$sql . "'"`, `"…" % name`.
      if (joinsAfter(text, i + 1, end) || joinsBefore(text, i - 1, start)) return true;
    }
  }
  return includesCall(text, start, end, 'sprintf(') || includesCall(text, start, end, '.format(') || includesCall(text, start, end, 'concat(');
}

function joinsAfter(text: string, from: number, end: number): boolean {
  let i = from;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  if (i === from) return false;
  const c = text.charCodeAt(i);
  return (c === 43 || c === 46 || c === 37) && isSpace(text.charCodeAt(i + 1));
}

function joinsBefore(text: string, from: number, start: number): boolean {
  let i = from;
  while (i >= start && isSpace(text.charCodeAt(i))) i--;
  if (i === from) return false;
  const c = text.charCodeAt(i);
  return (c === 43 || c === 46) && isSpace(text.charCodeAt(i - 1));
}

function includesCall(text: string, start: number, end: number, call: string): boolean {
  return indexOfIgnoringCase(text, call, start, end) >= 0;
}

function indexOfIgnoringCase(text: string, needle: string, start: number, end: number): number {
  outer: for (let i = start; i + needle.length <= end; i++) {
    for (let j = 0; j < needle.length; j++) {
      const c = text.charCodeAt(i + j);
      if ((c >= 65 && c <= 90 ? c | 0x20 : c) !== needle.charCodeAt(j)) continue outer;
    }
    return i;
  }
  return -1;
}

function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
