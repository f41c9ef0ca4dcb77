import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_ROUTES } from '../../../src/core/config';
import { parseModelRef } from '../../../src/core/modelRef';
import { PriceTable } from '../../../src/core/prices/priceTable';
import { DEFAULT_CHEAP_TIERS } from '../../../src/core/routing/tierDefaults';

const REPO = path.resolve(__dirname, '../../..');

/**
 * Named unpriced on purpose: a misspelt id the settings warning catches, a local server's model, and the one
 * real model the dated LiteLLM extract (2026-07-24) has under no name, which the README says is unpriced.
 */
const EXAMPLES = new Set(['openai:gpt-5.4-nanoo', 'openai:llama3.1', 'openai:gpt-5.4-pro']);

/** Every `provider:model` of the built-in providers that `text` names. */
function namedRefs(text: string): string[] {
  return [...text.matchAll(/\b(?:openai|anthropic|bedrock):[A-Za-z0-9][\w.:-]*\w/g)].map((match) => match[0]);
}

describe('models the defaults and the docs name', () => {
  it('all have a price in the shipped table, so none of them shows as unpriced out of the box', () => {
    const walkthrough = path.join(REPO, 'media/walkthrough');
    const docs = ['README.md', ...readdirSync(walkthrough).map((name) => path.join('media/walkthrough', name))];
    const named = new Map<string, string>();
    for (const ref of [...Object.values(DEFAULT_ROUTES).flat(), ...Object.values(DEFAULT_CHEAP_TIERS).flat()]) named.set(ref, 'the defaults');
    for (const doc of docs) for (const ref of namedRefs(readFileSync(path.join(REPO, doc), 'utf8'))) if (!named.has(ref)) named.set(ref, doc);
    assert.ok(named.size >= 10, `found ${named.size} models`);
    const prices = new PriceTable();
    const unpriced = [...named].filter(([ref]) => {
      const parsed = parseModelRef(ref);
      return !EXAMPLES.has(ref) && !(parsed && prices.lookup(parsed.provider, parsed.model));
    });
    assert.deepEqual(unpriced, []);
  });

});
