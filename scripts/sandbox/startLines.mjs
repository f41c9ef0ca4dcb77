import path from 'node:path';

/**
 * What `npm start` says as it starts, where a new user reads it first: each line names what to do next, and a path
 * as the user can open it.
 */

/**
 * `target` as the user reads it: relative to the repository when inside it (`.cache/sandbox/sample-workspace`),
 * else whole (`--state-dir /tmp/x` read as `../../../tmp/x` from the repository sent them looking for it).
 *
 * @param {string} repoRoot
 * @param {string} target an absolute path
 */
export function shownPath(repoRoot, target) {
  const relative = path.relative(repoRoot, target);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : target;
}

/**
 * The line for a local server whose models could not be read (`problem`, in the CLI's words): what to do depends on
 * why. A server not running is started, a key refused or wanted is the key's matter (the problem says how); only a
 * server that answered with no model to chat with is routed by hand.
 *
 * @param {string} problem
 */
export function routesLeftLine(problem) {
  const byHand = 'name its models in switchboard.routes.* (User settings), e.g. "openai:qwen2.5-coder:7b"';
  if (/could not be reached|did not answer within/.test(problem)) {
    return `routes left as they are: ${problem}. Start the server (or fix OPENAI_BASE_URL), then npm start again; or ${byHand}`;
  }
  if (/HTTP 40[13]\b/.test(problem)) return `routes left as they are: ${problem}; then npm start again`;
  return `routes left as they are: ${problem}; ${byHand}`;
}

/**
 * The line naming the providers a sandbox with real providers uses. With `--real` and nothing in the environment,
 * the keys are those stored in the sandbox (the browser keeps them, sealed: this script cannot see them), and the
 * way to store one is named, or nothing would answer and the user would not know why.
 *
 * @param {string[]} found what the environment provides, e.g. "OpenAI key"
 */
export function usingProvidersLine(found) {
  const stored = 'the keys stored in this sandbox with "Switchboard: Set API Key…"';
  if (found.length === 0) return `--real: no keys in the environment, so using ${stored} (none stored yet? run that command in the window)`;
  return `using your providers: ${found.join(', ')}, and ${stored}`;
}
