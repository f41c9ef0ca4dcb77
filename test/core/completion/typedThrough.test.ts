import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { TypedThrough } from '../../../src/core/completion/typedThrough';

const uri = 'file:///ws/src/cart.ts';
const above = Array.from({ length: 300 }, (_, i) => `const line${i} = ${i};`).join('\n');
const prefix = `${above}\nfunction total(cart) {\n  return `;
const suffix = '\n}\n';
const shown = 'cart.items.reduce((sum, item) => sum + item.price, 0);';

function typedThrough(): TypedThrough {
  const state = new TypedThrough();
  state.remember(uri, prefix, suffix, shown);
  return state;
}

describe('typed-through', () => {
  it('serves the rest of the ghost text after typing its first characters', () => {
    assert.equal(typedThrough().remainder(uri, `${prefix}car`, suffix), shown.slice(3));
  });

  it('serves nothing once a typed character differs from the ghost text', () => {
    assert.equal(typedThrough().remainder(uri, `${prefix}cat`, suffix), undefined);
  });

  it('keeps serving while backspacing inside what was typed', () => {
    const state = typedThrough();
    assert.equal(state.remainder(uri, `${prefix}cart.it`, suffix), shown.slice(7));
    assert.equal(state.remainder(uri, `${prefix}cart.`, suffix), shown.slice(5));
    assert.equal(state.remainder(uri, prefix, suffix), shown, 'back at the start, the whole completion applies');
  });

  it('serves nothing after backspacing past where the completion was made', () => {
    assert.equal(typedThrough().remainder(uri, prefix.slice(0, -1), suffix), undefined);
  });

  it('serves nothing once all of it was typed', () => {
    assert.equal(typedThrough().remainder(uri, prefix + shown, suffix), undefined);
  });

  it('still matches after an edit far above changed the prefix length', () => {
    const edited = `// a new header comment\n${prefix}cart.`;
    assert.equal(typedThrough().remainder(uri, edited, suffix), shown.slice(5));
  });

  it('serves nothing in another document or when the text after the cursor changed', () => {
    const state = typedThrough();
    assert.equal(state.remainder('file:///ws/src/other.ts', `${prefix}car`, suffix), undefined);
    assert.equal(state.remainder(uri, `${prefix}car`, ')\n}\n'), undefined);
  });

  it('serves nothing when only blanks would be left to show', () => {
    const state = new TypedThrough();
    state.remember(uri, 'if (x) {', '}', '\n  go();\n');
    assert.equal(state.remainder(uri, 'if (x) {\n  go();', '}'), undefined);
    assert.equal(state.remainder(uri, 'if (x) {\n  go', '}'), '();\n');
  });

  it('knows when the shown completion was taken in full, and only then', () => {
    const state = typedThrough();
    assert.equal(state.consumed(uri, prefix + shown, suffix), shown, 'typed to its end, or Tab');
    assert.equal(state.consumed(uri, `${prefix}cart.`, suffix), undefined, 'only part of it');
    assert.equal(state.consumed(uri, `${prefix + shown} `, suffix), undefined, 'and something more');
    assert.equal(state.consumed(uri, prefix + shown, ')\n}\n'), undefined, 'the text after the cursor changed');
    assert.equal(state.consumed('file:///ws/src/other.ts', prefix + shown, suffix), undefined);
  });
});
