/**
 * npm run eval:router: how the shipped request router (src/core/routing/
 * model.json) does on the held-out part of eval/router/requests.jsonl, beside
 * a random router (many seeds: its spread is the noise band) and a
 * prompt-length router measured in the same run. Prints a table; `--json`
 * prints the numbers instead.
 */
import { parseArgs } from 'node:util';
import { seededRandom } from '../../bench/stats';
import { costOf } from '../../src/core/cost';
import { DEFAULT_ROUTES } from '../../src/core/config';
import { parseModelRef } from '../../src/core/modelRef';
import { PriceTable } from '../../src/core/prices/priceTable';
import { thresholdForShare, shippedRoutingModel } from '../../src/core/routing/routingModel';
import { scoreRequest } from '../../src/core/routing/scorer';
import { DEFAULT_CHEAP_TIERS } from '../../src/core/routing/tierDefaults';
import { FAMILIES, readEvalSet, routingInputOf, type EvalItem } from './evalSet';
import { apgr, pgrCurve, spread, strongShareToRecover, type Spread } from './metrics';

const RANDOM_SEEDS = 1000;
const BOOTSTRAP_SAMPLES = 2000;
const SEED = 11;

interface RouterResult {
  name: string;
  apgr: number;
  strongShareFor50: number;
  strongShareFor80: number;
}

function evaluate(name: string, items: EvalItem[], scores: number[]): RouterResult {
  const curve = pgrCurve(items.map((item, i) => ({ score: scores[i]!, cheapQuality: item.cheapQuality })));
  return { name, apgr: apgr(curve), strongShareFor50: strongShareToRecover(curve, 0.5), strongShareFor80: strongShareToRecover(curve, 0.8) };
}

function apgrOf(items: EvalItem[], scores: number[]): number {
  return apgr(pgrCurve(items.map((item, i) => ({ score: scores[i]!, cheapQuality: item.cheapQuality }))));
}

/** The prompt-length router: longer requests (history included) go strong first. */
function lengthScore(item: EvalItem): number {
  return item.prompt.length + (item.history ?? []).reduce((sum, message) => sum + message.content.length, 0);
}

function main(): void {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, split: { type: 'string', default: 'test' } } });
  if (values.split !== 'test' && values.split !== 'train') throw new Error('--split must be test or train');
  const all = readEvalSet();
  // The training part is for checking this script only: the model has seen it.
  const items = all.filter((item) => item.split === values.split);
  const model = shippedRoutingModel();

  const scored = items.map((item) => scoreRequest(routingInputOf(item), model));
  const scores = scored.map((result) => result.score);
  const lengths = items.map(lengthScore);
  const oracle = items.map((item) => 1 - item.cheapQuality);

  const random = seededRandom(SEED);
  const randomApgrs = Array.from({ length: RANDOM_SEEDS }, () => apgrOf(items, items.map(() => random())));
  const randomSpread = spread(randomApgrs);
  const randomCurves = Array.from({ length: 200 }, () => {
    const curve = pgrCurve(items.map((item) => ({ score: random(), cheapQuality: item.cheapQuality })));
    return [strongShareToRecover(curve, 0.5), strongShareToRecover(curve, 0.8)] as const;
  });

  const results = [
    evaluate('Switchboard scorer', items, scores),
    evaluate('prompt-length router', items, lengths),
    {
      name: `random router (${RANDOM_SEEDS} seeds)`,
      apgr: randomSpread.mean,
      strongShareFor50: spread(randomCurves.map((c) => c[0])).mean,
      strongShareFor80: spread(randomCurves.map((c) => c[1])).mean,
    },
    evaluate('oracle (the labels themselves)', items, oracle),
  ];

  // Paired bootstrap over requests: how sure is the margin over the length router?
  const draw = seededRandom(SEED + 1);
  const differences: number[] = [];
  for (let b = 0; b < BOOTSTRAP_SAMPLES; b++) {
    const picks = items.map(() => Math.floor(draw() * items.length));
    const sample = picks.map((i) => items[i]!);
    differences.push(apgrOf(sample, picks.map((i) => scores[i]!)) - apgrOf(sample, picks.map((i) => lengths[i]!)));
  }
  const margin = spread(differences);

  const families = FAMILIES;
  const byFamily = families.map((family) => {
    const picked = items.map((item, i) => [item, i] as const).filter(([item]) => item.family === family);
    const subset = picked.map(([item]) => item);
    return {
      family,
      requests: subset.length,
      scorer: apgrOf(subset, picked.map(([, i]) => scores[i]!)),
      length: apgrOf(subset, picked.map(([, i]) => lengths[i]!)),
    };
  });

  // The default dial, priced with the default tiers' first models at the shipped prices.
  const prices = new PriceTable();
  const share = model.dial.defaultShare;
  const threshold = thresholdForShare(model.dial, share);
  const price = (ref: string) => {
    const parsed = parseModelRef(ref)!;
    const found = prices.lookup(parsed.provider, parsed.model);
    if (!found) throw new Error(`no price for ${ref}`);
    return found;
  };
  // Priced with the first model of each default tier (Anthropic), and with OpenAI's pair, at the shipped prices.
  const scenarios = [
    { name: 'Anthropic (the default tiers\' first models)', chat: { cheap: DEFAULT_CHEAP_TIERS.chat[0], strong: DEFAULT_ROUTES.chat[0]! }, plan: { cheap: DEFAULT_CHEAP_TIERS.plan[0], strong: DEFAULT_ROUTES.plan[0]! } },
    { name: 'OpenAI (the default tiers\' second models)', chat: { cheap: DEFAULT_CHEAP_TIERS.chat[1], strong: DEFAULT_ROUTES.chat[1]! }, plan: { cheap: DEFAULT_CHEAP_TIERS.plan[1], strong: DEFAULT_ROUTES.plan[1]! } },
  ];
  let strongCount = 0;
  let quality = 0;
  let misses = 0;
  let needStrong = 0;
  const goesStrong = scores.map((score) => score >= threshold);
  items.forEach((item, i) => {
    strongCount += goesStrong[i] ? 1 : 0;
    quality += goesStrong[i] ? 1 : item.cheapQuality;
    if (!item.cheapSuffices) needStrong++;
    if (!item.cheapSuffices && !goesStrong[i]) misses++;
  });
  const costs = scenarios.map((scenario) => {
    let autoUsd = 0;
    let allStrongUsd = 0;
    let allCheapUsd = 0;
    items.forEach((item, i) => {
      const usage = { inputTokens: item.inputTokens, outputTokens: item.outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 };
      const strong = costOf(usage, price(scenario[item.task].strong))!;
      const cheap = costOf(usage, price(scenario[item.task].cheap))!;
      allStrongUsd += strong;
      allCheapUsd += cheap;
      autoUsd += goesStrong[i] ? strong : cheap;
    });
    return { ...scenario, autoUsd, allStrongUsd, allCheapUsd, saving: 1 - autoUsd / allStrongUsd };
  });
  // Per family: a family the scorer reads badly (requests in other languages went cheap) shows here first.
  const familyDial = FAMILIES.map((family) => {
    const picked = items.map((item, i) => [item, i] as const).filter(([item]) => item.family === family);
    return {
      family,
      requests: picked.length,
      sentStrong: picked.filter(([, i]) => goesStrong[i]).length,
      needStrong: picked.filter(([item]) => !item.cheapSuffices).length,
      sentCheapThoughNeedStrong: picked.filter(([item, i]) => !item.cheapSuffices && !goesStrong[i]).length,
    };
  });
  const meanCheap = items.reduce((sum, item) => sum + item.cheapQuality, 0) / items.length;
  const dial = {
    share,
    threshold,
    strongShare: strongCount / items.length,
    quality: quality / items.length,
    allCheapQuality: meanCheap,
    gapRecovered: (quality / items.length - meanCheap) / (1 - meanCheap),
    needStrong,
    sentCheapThoughNeedStrong: misses,
    byFamily: familyDial,
    costs,
  };

  if (values.json) {
    console.log(JSON.stringify({ testRequests: items.length, totalRequests: all.length, results, random: randomSpread, margin, byFamily, dial }, null, 2));
    return;
  }
  print(values.split, all.length, items.length, results, randomSpread, margin, byFamily, dial);
}

type Dial = {
  share: number;
  threshold: number;
  strongShare: number;
  quality: number;
  allCheapQuality: number;
  gapRecovered: number;
  needStrong: number;
  sentCheapThoughNeedStrong: number;
  byFamily: Array<{ family: string; requests: number; sentStrong: number; needStrong: number; sentCheapThoughNeedStrong: number }>;
  costs: Array<{ name: string; chat: { cheap: string; strong: string }; plan: { cheap: string; strong: string }; autoUsd: number; allStrongUsd: number; allCheapUsd: number; saving: number }>;
};

function print(
  split: string,
  total: number,
  tested: number,
  results: RouterResult[],
  random: Spread,
  margin: Spread,
  byFamily: { family: string; requests: number; scorer: number; length: number }[],
  dial: Dial,
): void {
  const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
  const rows = results.map((r) => [r.name, r.apgr.toFixed(3), pct(r.strongShareFor50), pct(r.strongShareFor80)]);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...[['router', 'APGR', 'strong calls for 50 % of gap', '80 % of gap'], ...rows].map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(`Request router on the ${split === 'test' ? 'held-out' : 'TRAINING (seen by the model)'} part of eval/router/requests.jsonl: ${tested} of ${total} requests\n`);
  console.log(line(['router', 'APGR', 'strong calls for 50 % of gap', '80 % of gap']));
  for (const row of rows) console.log(line(row));
  const [scorer, length] = results;
  console.log(
    `\nrandom router: APGR ${random.mean.toFixed(3)} ± ${random.std.toFixed(3)} (std over seeds; 95 % of seeds in ${random.low.toFixed(3)}–${random.high.toFixed(3)})`,
  );
  console.log(
    `scorer − length router: ${(scorer!.apgr - length!.apgr >= 0 ? '+' : '') + (scorer!.apgr - length!.apgr).toFixed(3)} APGR = ` +
      `${((scorer!.apgr - length!.apgr) / random.std).toFixed(1)} × the random router's std; ` +
      `paired bootstrap over requests: 95 % interval ${margin.low.toFixed(3)} to ${margin.high.toFixed(3)}`,
  );
  console.log('\nAPGR by family (scorer / length router):');
  for (const f of byFamily) console.log(`  ${f.family.padEnd(12)} ${String(f.requests).padStart(3)} requests  ${f.scorer.toFixed(3)} / ${f.length.toFixed(3)}`);
  console.log(
    `\nDefault dial: ${pct(dial.share)} of requests may go strong (score ≥ ${dial.threshold.toFixed(3)}). On the held-out part:\n` +
      `  sent strong            ${pct(dial.strongShare)}\n` +
      `  quality                ${pct(dial.quality)} of all-strong (all-cheap: ${pct(dial.allCheapQuality)}); ${pct(dial.gapRecovered)} of the gap recovered\n` +
      `  needed the strong tier but sent cheap: ${dial.sentCheapThoughNeedStrong} of ${dial.needStrong}`,
  );
  for (const f of dial.byFamily) {
    console.log(`    ${f.family.padEnd(12)} ${String(f.requests).padStart(3)} requests, ${String(f.sentStrong).padStart(3)} sent strong; needed strong but sent cheap: ${f.sentCheapThoughNeedStrong} of ${f.needStrong}`);
  }
  for (const cost of dial.costs) {
    console.log(
      `  cost, ${cost.name}: $${cost.autoUsd.toFixed(4)} vs $${cost.allStrongUsd.toFixed(4)} all-strong, ${pct(cost.saving)} saved (all-cheap $${cost.allCheapUsd.toFixed(4)})\n` +
        `    chat ${cost.chat.cheap} / ${cost.chat.strong}, plan ${cost.plan.cheap} / ${cost.plan.strong}`,
    );
  }
  console.log('  (tokens per request estimated: the prompt at four characters a token, the answer by kind of request)');
}

main();
