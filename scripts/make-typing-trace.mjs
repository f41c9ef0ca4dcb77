// Writes bench/typing-trace.json: a reproducible typing session for the
// inline-completion benchmark. A sample TypeScript module is shown with some
// function bodies and one whole function missing; the trace types them back
// in, as a person would: bursts of keys 80–250 ms apart, pauses of 0.4–3 s
// between bursts, Enter with the editor's auto-indent, and typos corrected
// with backspace. What gets typed is exactly the finished code, i.e. what a
// good suggestion would have shown, so typed-through reuse gets exercised.
//
// Usage: node scripts/make-typing-trace.mjs [--seed N] [--out path] [--sample reorder|topdown]
//          [--pieces N] [--word-pause-chance P] [--pause-ms MIN-MAX]
// The defaults write bench/typing-trace.json. The in-editor benchmark's shorter
// trace, typed in real time into VS Code:
//   node scripts/make-typing-trace.mjs --pieces 4 --word-pause-chance 0.1 --pause-ms 700-2500 \
//     --out bench/editor-typing-trace.json
// Its second trace, a new file written from its first line to its last (no skeleton to fill):
//   node scripts/make-typing-trace.mjs --sample topdown --word-pause-chance 0.1 --pause-ms 700-2500 \
//     --out bench/editor-typing-trace-topdown.json

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const seed = Number(option('--seed', '20250611'));
const out = resolve(root, option('--out', 'bench/typing-trace.json'));
/** Type only the first N missing pieces; the others stay missing. */
const pieceLimit = Number(option('--pieces', 'Infinity'));
/** After a word, the chance of a pause before the next one. */
const wordPauseChance = Number(option('--word-pause-chance', '0.35'));
/** Which module is typed: `reorder` fills the bodies of a module's skeleton; `topdown` writes a new file from the top. */
const sampleName = option('--sample', 'reorder');
const shapeArguments = ['--sample', '--pieces', '--word-pause-chance', '--pause-ms'].flatMap((name) => (args.includes(name) ? [name, option(name)] : []));
const [pauseMin, pauseMax] = option('--pause-ms', '400-3000').split('-').map(Number);
if (sampleName !== 'reorder' && sampleName !== 'topdown') throw new Error('--sample must be reorder or topdown');
if (!(pieceLimit >= 1) || !(wordPauseChance >= 0 && wordPauseChance <= 1) || !(pauseMin > 0 && pauseMax >= pauseMin)) {
  throw new Error('--pieces must be at least 1, --word-pause-chance from 0 to 1, --pause-ms MIN-MAX with 0 < MIN <= MAX');
}

/** mulberry32: small, fast, and the same numbers on every machine. */
function prng(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const between = (low, high) => low + random() * (high - low);
const chance = (p) => random() < p;
/** Pauses are mostly short with a long tail, so draw them log-uniformly. */
const pause = () => Math.round(Math.exp(between(Math.log(pauseMin), Math.log(pauseMax))));
const keyGap = () => Math.round(between(80, 250));

// The finished module. Text between ⟦ and ⟧ is missing at the start and typed during the trace.
const REORDER_SAMPLE = String.raw`import { readFile } from 'node:fs/promises';

/** One stocked product, as the warehouse export lists it. */
export interface StockItem {
  sku: string;
  name: string;
  onHand: number;
  reserved: number;
  dailyDemand: number;
  leadTimeDays: number;
  unitCost: number;
}

export interface ReorderLine {
  sku: string;
  quantity: number;
  cost: number;
}

export interface ReorderPolicy {
  /** Days of demand kept on hand beyond the lead time. */
  safetyDays: number;
  /** Orders are rounded up to whole cases. */
  caseSize: number;
  /** Lines cheaper than this are not worth a purchase order. */
  minimumOrderCost: number;
}

export const DEFAULT_POLICY: ReorderPolicy = { safetyDays: 5, caseSize: 12, minimumOrderCost: 25 };

/** Units that can be sold today: what is on the shelf and not promised to an order. */
export function available(item: StockItem): number {
  ⟦return Math.max(0, item.onHand - item.reserved);⟧
}

/** Stock needed to cover the lead time plus the safety days. */
export function targetLevel(item: StockItem, policy: ReorderPolicy): number {
  ⟦const days = item.leadTimeDays + policy.safetyDays;
  return Math.ceil(item.dailyDemand * days);⟧
}

export function roundUpToCase(quantity: number, caseSize: number): number {
  if (caseSize <= 1) return quantity;
  return Math.ceil(quantity / caseSize) * caseSize;
}

/** The order for one item, or undefined when it has enough stock. */
export function reorderLine(item: StockItem, policy: ReorderPolicy = DEFAULT_POLICY): ReorderLine | undefined {
  ⟦const shortfall = targetLevel(item, policy) - available(item);
  if (shortfall <= 0) return undefined;
  const quantity = roundUpToCase(shortfall, policy.caseSize);
  const cost = quantity * item.unitCost;
  if (cost < policy.minimumOrderCost) return undefined;
  return { sku: item.sku, quantity, cost };⟧
}

export function parseStockCsv(text: string): StockItem[] {
  const items: StockItem[] = [];
  const lines = text.split('\n').slice(1);
  for (const line of lines) {
    if (!line.trim()) continue;
    const [sku, name, onHand, reserved, dailyDemand, leadTimeDays, unitCost] = line.split(',');
    items.push({
      sku: sku.trim(),
      name: name.trim(),
      onHand: Number(onHand),
      reserved: Number(reserved),
      dailyDemand: Number(dailyDemand),
      leadTimeDays: Number(leadTimeDays),
      unitCost: Number(unitCost),
    });
  }
  return items;
}

/** Every order line for a stock list, most expensive first. */
export function planReorder(items: StockItem[], policy: ReorderPolicy = DEFAULT_POLICY): ReorderLine[] {
  ⟦const lines: ReorderLine[] = [];
  for (const item of items) {
    const line = reorderLine(item, policy);
    if (line) lines.push(line);
  }
  return lines.sort((a, b) => b.cost - a.cost);⟧
}

export function totalCost(lines: ReorderLine[]): number {
  ⟦return lines.reduce((sum, line) => sum + line.cost, 0);⟧
}

export function formatMoney(amount: number): string {
  return '$' + amount.toFixed(2);
}
⟦
/** A plain-text purchase order, one line per SKU and the total at the end. */
export function formatOrder(lines: ReorderLine[]): string {
  const rows = lines.map((line) => line.sku.padEnd(12) + String(line.quantity).padStart(6) + formatMoney(line.cost).padStart(12));
  rows.push('TOTAL'.padEnd(18) + formatMoney(totalCost(lines)).padStart(12));
  return rows.join('\n');
}

export async function reorderReport(path: string, policy: ReorderPolicy = DEFAULT_POLICY): Promise<string> {
  const items = parseStockCsv(await readFile(path, 'utf8'));
  const lines = planReorder(items, policy);
  if (lines.length === 0) return 'Nothing to reorder.';
  return formatOrder(lines);
}
⟧`;

// A new file, typed from its first line to its last: imports, an interface, functions, a small class.
const TOPDOWN_SAMPLE = String.raw`⟦import { readFile } from 'node:fs/promises';

export interface Reading {
  sensor: string;
  value: number;
}

export function parseReadings(text: string): Reading[] {
  return text.split('\n').map((line) => {
    const [sensor, value] = line.split(',');
    return { sensor, value: Number(value) };
  });
}

export class SensorLog {
  private readonly readings: Reading[] = [];

  add(reading: Reading): void {
    this.readings.push(reading);
  }
}

export async function loadLog(path: string): Promise<SensorLog> {
  const log = new SensorLog();
  for (const reading of parseReadings(await readFile(path, 'utf8'))) log.add(reading);
  return log;
}
⟧`;
const SAMPLE = sampleName === 'topdown' ? TOPDOWN_SAMPLE : REORDER_SAMPLE;

/** Keys next to each other on a QWERTY keyboard, for believable typos. */
const NEIGHBOURS = {
  a: 'sq', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k;',
  m: 'n,', n: 'bm', o: 'ip', p: 'o[', q: 'wa', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc',
  y: 'tu', z: 'xa',
};

function typo(char) {
  const lower = char.toLowerCase();
  const options = NEIGHBOURS[lower];
  if (!options) return undefined;
  const wrong = options[Math.floor(random() * options.length)];
  return char === lower ? wrong : wrong.toUpperCase();
}

/** Splits typed text into bursts: a word or a run of punctuation, with the spaces after it. */
function bursts(text) {
  return text.match(/\n[ \t]*|[A-Za-z0-9_$]+[ ]*|[^A-Za-z0-9_$\n]+?[ ]*/g) ?? [];
}

// Even pieces are on screen at the start, odd ones are typed. A piece past the limit stays
// missing: the text around it joins up, and the check below still holds.
const pieces = [];
SAMPLE.split(/⟦|⟧/).forEach((piece, i) => {
  if (i % 2 === 1 && (i + 1) / 2 > pieceLimit) return;
  if (i % 2 === 0 && pieces.length % 2 === 1) pieces[pieces.length - 1] += piece;
  else pieces.push(piece);
});
const initial = pieces.filter((_, i) => i % 2 === 0).join('');
const events = [];
let time = 0;
let documentText = initial;
let offset = 0;

const insert = (text) => {
  events.push({ t: time, type: 'insert', offset, text });
  documentText = documentText.slice(0, offset) + text + documentText.slice(offset);
  offset += text.length;
};
const backspace = () => {
  const text = documentText.slice(offset - 1, offset);
  offset -= 1;
  events.push({ t: time, type: 'delete', offset, text });
  documentText = documentText.slice(0, offset) + documentText.slice(offset + 1);
};

for (let i = 0; i < pieces.length; i++) {
  const piece = pieces[i];
  if (i % 2 === 0) {
    offset += piece.length;
    continue;
  }
  // Moving to the next place to type takes a moment.
  time += Math.round(between(1500, 4000));
  let wordsSincePause = 0;
  for (const burst of bursts(piece)) {
    if (burst.startsWith('\n')) {
      // Enter: the editor inserts the line break and the next line's indentation in one edit.
      time += keyGap();
      insert(burst);
      time += pause();
      wordsSincePause = 0;
      continue;
    }
    if (wordsSincePause >= 1 && chance(wordPauseChance)) time += pause();
    for (let k = 0; k < burst.length; k++) {
      const char = burst[k];
      time += keyGap();
      const wrong = chance(0.03) ? typo(char) : undefined;
      if (wrong) {
        insert(wrong);
        // Sometimes one more key goes in before the mistake is noticed.
        const extra = k + 1 < burst.length && chance(0.4) ? burst[k + 1] : undefined;
        if (extra) {
          time += keyGap();
          insert(extra);
        }
        time += Math.round(between(200, 600));
        backspace();
        if (extra) {
          time += Math.round(between(90, 180));
          backspace();
        }
        time += keyGap();
      }
      insert(char);
    }
    wordsSincePause++;
  }
}

const expected = pieces.join('');
if (documentText !== expected) throw new Error('replaying the trace does not produce the finished sample');

const trace = {
  description:
    'Typing session for the inline-completion benchmark: apply events in order to `file`; each event is one keystroke (Enter includes auto-indent). t is ms from the start.',
  generator: 'scripts/make-typing-trace.mjs',
  seed,
  // How to make this trace again (only shape flags; none for the default trace).
  ...(shapeArguments.length > 0 && { arguments: shapeArguments.join(' ') }),
  path: sampleName === 'topdown' ? 'src/sensorLog.ts' : 'src/reorder.ts',
  languageId: 'typescript',
  file: initial,
  events,
  summary: {
    keystrokes: events.length,
    inserts: events.filter((event) => event.type === 'insert').length,
    deletes: events.filter((event) => event.type === 'delete').length,
    durationMs: time,
    finalLength: documentText.length,
  },
};

mkdirSync(dirname(out), { recursive: true });
// One event per line: small, and a regenerated trace diffs readably.
const { events: eventList, ...header } = trace;
const headerJson = JSON.stringify(header, null, 2).replace(/\n}$/, '');
writeFileSync(out, `${headerJson},\n  "events": [\n${eventList.map((event) => `    ${JSON.stringify(event)}`).join(',\n')}\n  ]\n}\n`);
console.log(`wrote ${out}: ${events.length} keystrokes over ${(time / 1000).toFixed(1)} s`);
