import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { CompletionCache, completionCacheKey } from '../../../src/core/completion/completionCache';

const place = { languageId: 'typescript', variant: 'openai:gpt-4.1-mini', prefix: 'const total = ', suffix: ';\n' };

describe('completion cache', () => {
  it('finds a completion again at the same place', () => {
    const cache = new CompletionCache<string>();
    cache.set(completionCacheKey(place), 'items.length');
    assert.equal(cache.get(completionCacheKey({ ...place })), 'items.length');
  });

  it('tells places apart by the text around the cursor, the language and the model', () => {
    const cache = new CompletionCache<string>();
    cache.set(completionCacheKey(place), 'items.length');
    assert.equal(cache.get(completionCacheKey({ ...place, prefix: 'const count = ' })), undefined);
    assert.equal(cache.get(completionCacheKey({ ...place, suffix: ' + 1;\n' })), undefined);
    assert.equal(cache.get(completionCacheKey({ ...place, languageId: 'javascript' })), undefined);
    assert.equal(cache.get(completionCacheKey({ ...place, variant: 'anthropic:claude-haiku-4-5' })), undefined);
  });

  it('keys on a bounded window, so edits far above the cursor do not matter', () => {
    const near = `${'x'.repeat(600)}\nconst total = `;
    const key = completionCacheKey({ ...place, prefix: `// an old comment\n${near}` });
    assert.equal(key, completionCacheKey({ ...place, prefix: `// an edited comment\n${near}` }));
    assert.ok(key.length < 800);
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new CompletionCache<string>(2);
    cache.set('a', '1');
    cache.set('b', '2');
    assert.equal(cache.get('a'), '1', 'reading a makes it recent');
    cache.set('c', '3');
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), '1');
    assert.equal(cache.get('c'), '3');
    assert.equal(cache.size, 2);
  });

  it('stops serving entries older than the age limit', () => {
    const cache = new CompletionCache<string>(10, 1_000);
    cache.set('a', '1', 5_000);
    assert.equal(cache.get('a', 5_900), '1');
    assert.equal(cache.get('a', 6_100), undefined);
  });
});
