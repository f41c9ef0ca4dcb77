/**
 * The shapes of a key that no provider's key ever has: mistakes in copying it. Set API Key refuses them in its box
 * (vscode/keyFormat.ts); the registry (providerRegistry.ts) keeps a key so shaped from being sent, whether stored or
 * in OPENAI_API_KEY / ANTHROPIC_API_KEY, where a `.env` line read by a tool that keeps quotes (`docker --env-file`,
 * systemd's EnvironmentFile) puts them. Only the shape of a mistake counts: every OpenAI-compatible server has its
 * own key format, so a key is never judged by what it starts with here.
 */
export type KeyShapeProblem =
  /** A line copied from a `.env` file or a shell profile: the provider would get the name (`NAME=key`). */
  | { kind: 'assigned'; name: string }
  /** Pasted across lines, or with a space inside: the providers would never take it in one piece. */
  | { kind: 'spaced' }
  /** The key in quotes, as a `.env` file writes it. */
  | { kind: 'quoted' };

/** What is wrong with the shape of `trimmed` (a key with its ends' whitespace already dropped), or undefined. */
export function keyShapeProblem(trimmed: string): KeyShapeProblem | undefined {
  // A base64 key's `=` comes only at its end, as padding: a name, `=`, then more is an assignment.
  const assigned = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=[^=]/.exec(trimmed);
  if (assigned) return { kind: 'assigned', name: assigned[1]! };
  if (/\s/.test(trimmed)) return { kind: 'spaced' };
  if (/^(["'`]).*\1$/.test(trimmed)) return { kind: 'quoted' };
  return undefined;
}

/**
 * The rest of "the openai API key in OPENAI_API_KEY …": what is wrong, that it is not sent, and the fix, naming the
 * variable it came from (`envName`), or none for a stored key. Never a character of the key.
 */
export function keyShapeWords(problem: KeyShapeProblem, envName: string | undefined): string {
  if (problem.kind === 'spaced') return 'has a space or line break inside it (pasted across lines?), so it is not sent; set it again in one piece';
  const again = envName ? `set ${envName} to the key alone` : 'store the key alone again';
  if (problem.kind === 'assigned') return `starts with "${problem.name}=" (a line copied from a .env file?), so it is not sent; ${again}`;
  return `is wrapped in quotes (as a .env file writes it; docker --env-file and systemd keep them), so it is not sent; ${again}, without the quotes`;
}

/**
 * Which other vendor's key `trimmed` looks like, given as `provider`'s: an Anthropic key (`sk-ant-…`) as OpenAI's,
 * an OpenAI one (`sk-proj-…`, `sk-svcacct-…`) as Anthropic's. Said only beside a refusal (or a warning while a key
 * is typed), never as one: Anthropic's API also answers the OpenAI SDK, and a custom server may take any key.
 */
export function otherVendorKey(provider: string, trimmed: string): 'anthropic' | 'openai' | undefined {
  const anthropicShaped = trimmed.startsWith('sk-ant-');
  if (provider === 'openai' && anthropicShaped) return 'anthropic';
  if (provider === 'anthropic' && !anthropicShaped && /^sk-(?:proj-|svcacct-|admin-|[A-Za-z0-9]{20})/.test(trimmed)) return 'openai';
  return undefined;
}
