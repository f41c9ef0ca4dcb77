#!/usr/bin/env node
/**
 * Builds src/core/prices/prices.json from a dated extract of LiteLLM's model
 * price table: `node scripts/build-prices.mjs [extract.json] [--out prices.json] [--verbose]`.
 *
 * What is kept, and why:
 * - Providers openai (including LiteLLM's `text-completion-openai`), anthropic
 *   and bedrock (`bedrock` and `bedrock_converse` are the same service to us);
 *   chat and completion modes only.
 * - Bedrock keys must be real Bedrock model ids: `vendor.model`, optionally
 *   behind a geography prefix (`us.`, `eu.`, ...). LiteLLM's routing paths
 *   (`bedrock/us-east-1/...`, `bedrock/invoke/...`, `bedrock/us.anthropic...`),
 *   vendor-less aliases (`claude-sonnet-4-5-20250929-v1:0`) and Vertex-style
 *   ids with `@` are skipped: nobody sends those ids to Bedrock. The
 *   region-prefixed keys carry per-region on-demand prices; our lookup has no
 *   region, so the plain entry (the US price) stands for every region and a
 *   user in a dearer region overrides it in `switchboard.prices`.
 * - An entry priced 0 for both input and output means "no published price"
 *   in LiteLLM; shipping it would show $0.00 instead of "unpriced".
 *
 * Prices become USD per million tokens, rounded to 9 significant digits,
 * which removes float noise (0.30000000000000004) and keeps every real digit.
 * Output is sorted and pretty-printed so a price update reads as a small diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const outAt = args.indexOf('--out');
const outArg = outAt >= 0 ? args[outAt + 1] : undefined;
const positional = args.filter((arg, index) => !arg.startsWith('--') && (outAt < 0 || index !== outAt + 1));
const inputPath = resolve(repoRoot, positional[0] ?? '../shared/data/model-prices-2026-07-24.json');
const outputPath = resolve(outArg ?? resolve(repoRoot, 'src/core/prices/prices.json'));

const PROVIDER_OF = {
  openai: 'openai',
  'text-completion-openai': 'openai',
  anthropic: 'anthropic',
  bedrock: 'bedrock',
  bedrock_converse: 'bedrock',
};
const MODES = new Set(['chat', 'completion']);
const BEDROCK_MODEL_ID = /^(?:(?:us|eu|apac|global|us-gov|jp|au|ca)\.)?[a-z0-9-]+\.[^/@\s]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function perMillion(perToken) {
  return Number((perToken * 1e6).toPrecision(9));
}

function isPrice(value) {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function describeSource(extract, path) {
  const text = typeof extract._source === 'string' ? extract._source : '';
  // The first clause names the table and its stamp; the rest describes the extract.
  const source = text.split(';')[0].trim() || 'LiteLLM model_prices_and_context_window.json';
  const date = /last_updated (\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? /(\d{4}-\d{2}-\d{2})/.exec(path)?.[1];
  if (!date) throw new Error(`${path}: cannot tell the date of the prices (no last_updated in _source, no date in the file name)`);
  return { source, sourceDate: date };
}

function convert(entry) {
  const price = {
    input: perMillion(entry.input_cost_per_token),
    output: perMillion(entry.output_cost_per_token),
  };
  if (isPrice(entry.cache_read_input_token_cost)) price.cacheRead = perMillion(entry.cache_read_input_token_cost);
  if (isPrice(entry.cache_creation_input_token_cost)) price.cacheWrite = perMillion(entry.cache_creation_input_token_cost);
  if (isPrice(entry.input_cost_per_token_above_200k_tokens)) {
    price.inputAbove200k = perMillion(entry.input_cost_per_token_above_200k_tokens);
  }
  if (isPrice(entry.output_cost_per_token_above_200k_tokens)) {
    price.outputAbove200k = perMillion(entry.output_cost_per_token_above_200k_tokens);
  }
  if (Number.isInteger(entry.max_input_tokens)) price.maxInputTokens = entry.max_input_tokens;
  if (Number.isInteger(entry.max_output_tokens)) price.maxOutputTokens = entry.max_output_tokens;
  if (typeof entry.deprecation_date === 'string' && ISO_DATE.test(entry.deprecation_date)) {
    price.deprecationDate = entry.deprecation_date;
  }
  return price;
}

function build(extract, path) {
  const models = extract.models && typeof extract.models === 'object' ? extract.models : extract;
  const kept = new Map();
  const skipped = [];
  for (const [id, entry] of Object.entries(models)) {
    if (!entry || typeof entry !== 'object') continue;
    const provider = PROVIDER_OF[entry.litellm_provider];
    if (!provider || !MODES.has(entry.mode)) continue;
    if (!isPrice(entry.input_cost_per_token) || !isPrice(entry.output_cost_per_token)) {
      skipped.push(`${id} (no input/output price)`);
      continue;
    }
    if (entry.input_cost_per_token === 0 && entry.output_cost_per_token === 0) {
      skipped.push(`${id} (priced 0: no published price)`);
      continue;
    }
    if (provider === 'bedrock' && !BEDROCK_MODEL_ID.test(id)) {
      skipped.push(`${id} (not a Bedrock model id)`);
      continue;
    }
    const key = `${provider}:${id}`;
    if (kept.has(key)) throw new Error(`${path}: two entries map to ${key}`);
    kept.set(key, convert(entry));
  }
  const sorted = Object.fromEntries([...kept.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    file: {
      ...describeSource(extract, path),
      unit: 'USD per million tokens',
      models: sorted,
    },
    skipped,
  };
}

const extract = JSON.parse(readFileSync(inputPath, 'utf8'));
const { file, skipped } = build(extract, inputPath);
writeFileSync(outputPath, JSON.stringify(file, null, 2) + '\n');
console.log(`${outputPath}: ${Object.keys(file.models).length} models as of ${file.sourceDate}; skipped ${skipped.length}`);
if (verbose) for (const line of skipped) console.log(`  skipped ${line}`);
