/**
 * A long chat answer of the kind a strong model writes about code, from a
 * seed: headings, prose with inline code, bold and links, bullet and numbered
 * lists, tables, block quotes, and fenced code in several languages (some
 * blocks long enough to take the streamed-code path). Exactly
 * `tokens × CHARS_PER_TOKEN` characters, so the fake streams it as `tokens`
 * equal pieces of one token each.
 */
import { generateTypeScript } from './sourceGenerator';
import { seededRandom } from './stats';

/** The usual rule of thumb for English and code; the fakes estimate usage the same way. */
export const CHARS_PER_TOKEN = 4;

const SUBJECTS = [
  'the cache', 'the request queue', 'this handler', 'the retry loop', 'the parser', 'the worker pool', 'the config loader',
  'the session store', 'the migration', 'the rate limiter', 'the event bus', 'the serializer', 'the scheduler', 'the index',
];
const VERBS = ['keeps', 'drops', 'rebuilds', 'validates', 'batches', 'flushes', 'locks', 're-reads', 'forwards', 'caches', 'retries', 'logs'];
const OBJECTS = [
  'every entry', 'the whole response', 'stale keys', 'the first error', 'pending writes', 'the raw bytes', 'each chunk',
  'the user id', 'the parsed header', 'a copy of the state', 'the last offset', 'expired tokens',
];
const CLAUSES = [
  'before the lock is released', 'on every call', 'only when the flag is set', 'after the timeout fires', 'without awaiting it',
  'once per process', 'while the socket is still open', 'in the hot path', 'under contention', 'even on failure',
];
const IDENTIFIERS = ['maxRetries', 'flush()', 'onDispose', 'AbortSignal', 'Map<string, Entry>', 'readConfig()', 'queue.length', 'ttlMs', 'await', 'JSON.parse'];
const HEADINGS = [
  'What goes wrong', 'Why it happens', 'A safer version', 'Testing the fix', 'Edge cases', 'Performance', 'Migration steps',
  'Error handling', 'Configuration', 'Alternatives considered', 'Summary of changes', 'Follow-ups',
];
const PY_NAMES = ['records', 'batch', 'offsets', 'payload', 'rows', 'pending', 'results', 'errors'];

export function generateChatAnswer(seed: number, tokens: number): string {
  const targetChars = tokens * CHARS_PER_TOKEN;
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

  const sentence = (): string => {
    let subject = pick(SUBJECTS);
    const roll = random();
    if (roll < 0.25) subject = `\`${pick(IDENTIFIERS)}\``;
    const text = `${subject} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(CLAUSES)}`;
    const emphasis = random();
    const decorated =
      emphasis < 0.15
        ? `${text}, which is **not** what you want`
        : emphasis < 0.25
          ? `${text} (see [the docs](https://example.com/docs/${pick(PY_NAMES)}))`
          : emphasis < 0.4
            ? `${text}, so \`${pick(IDENTIFIERS)}\` matters here`
            : text;
    return `${decorated.charAt(0).toUpperCase()}${decorated.slice(1)}.`;
  };
  const paragraph = () => Array.from({ length: between(2, 6) }, sentence).join(' ');
  const bullets = () =>
    Array.from({ length: between(3, 7) }, () => `- ${random() < 0.4 ? `**${pick(IDENTIFIERS)}**: ` : ''}${sentence()}`).join('\n');
  const steps = () => Array.from({ length: between(3, 6) }, (_, i) => `${i + 1}. ${sentence()}`).join('\n');
  const quote = () => `> **Note:** ${sentence()} ${sentence()}`;
  const table = () => {
    const rows = Array.from(
      { length: between(3, 6) },
      () => `| \`${pick(IDENTIFIERS)}\` | ${between(1, 900)} ms | ${pick(['yes', 'no', 'only on retry'])} |`,
    );
    return ['| Setting | Typical | Needed |', '|:--|--:|:--|', ...rows].join('\n');
  };
  const typescript = () => {
    const lines = generateTypeScript(between(1, 1_000_000), between(12, 90)).split('\n');
    return fence('ts', lines.slice(5).join('\n'));
  };
  const python = () => {
    const name = pick(PY_NAMES);
    const body = [
      `def process_${name}(${name}, limit=${between(10, 500)}):`,
      `    """${sentence()}"""`,
      '    result = []',
      `    for item in ${name}:`,
      `        if item.get("${pick(PY_NAMES)}") is None:`,
      '            continue',
      `        result.append({"id": item["id"], "score": item["score"] * ${between(2, 9)}})`,
      '        if len(result) >= limit:',
      '            break',
      '    return result',
    ];
    return fence('python', body.join('\n'));
  };
  const shell = () =>
    fence('bash', [`npm run build`, `npx mocha test/${pick(PY_NAMES)}.test.ts --grep "${pick(HEADINGS)}"`, `git diff --stat`].join('\n'));
  const json = () =>
    fence(
      'json',
      JSON.stringify({ [pick(PY_NAMES)]: { limit: between(1, 100), ttlMs: between(100, 60_000), retry: random() < 0.5, tags: [pick(PY_NAMES), pick(PY_NAMES)] } }, null, 2),
    );

  const blocks: string[] = [`Here is what I found, and a fix. ${paragraph()}`];
  let length = blocks[0]!.length;
  // The closing paragraph fills what is left and is cut to land exactly on the target.
  for (;;) {
    const roll = random();
    const block =
      roll < 0.1
        ? `## ${pick(HEADINGS)}`
        : roll < 0.4
          ? paragraph()
          : roll < 0.52
            ? bullets()
            : roll < 0.6
              ? steps()
              : roll < 0.64
                ? quote()
                : roll < 0.68
                  ? table()
                  : roll < 0.84
                    ? typescript()
                    : roll < 0.91
                      ? python()
                      : roll < 0.96
                        ? shell()
                        : json();
    if (length + block.length + 2 > targetChars - 200) break;
    blocks.push(block);
    length += block.length + 2;
  }
  let text = `${blocks.join('\n\n')}\n\n`;
  let closing = 'In short:';
  while (text.length + closing.length < targetChars) closing += ` ${sentence()}`;
  text += closing;
  if (text.length > targetChars) text = `${text.slice(0, targetChars - 1)}.`;
  return text.padEnd(targetChars, '.');
}

function fence(language: string, code: string): string {
  return `\`\`\`${language}\n${code}\n\`\`\``;
}
