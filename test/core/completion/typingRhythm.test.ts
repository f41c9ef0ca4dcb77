import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { pauseLikelihood, TypingRhythm } from '../../../src/core/completion/typingRhythm';

const uri = 'file:///ws/src/cart.ts';

/** A rhythm that saw keystrokes `gaps` ms apart in one document. */
function rhythmOf(gaps: number[], start = 1_000): TypingRhythm {
  const rhythm = new TypingRhythm();
  let now = start;
  rhythm.note(uri, now);
  for (const gap of gaps) rhythm.note(uri, (now += gap));
  return rhythm;
}

describe('typing rhythm and the adaptive debounce', () => {
  it('expects a pause at the start of a line and after ( [ { = : , ; . > } )', () => {
    for (const line of ['', '    ', '  total(', '  const x = ', '  const x =', '  items.', '  return a;', '  f(a, ', '  case 1:', '  }', '  call()']) {
      assert.equal(pauseLikelihood(line), 'likely', JSON.stringify(line));
    }
  });

  it('expects typing to go on inside a word, and treats a word then a space as neither', () => {
    for (const line of ['  ret', '  const tot', '  items.len', '  x1', '  $el', '  café']) {
      assert.equal(pauseLikelihood(line), 'mid-word', JSON.stringify(line));
    }
    for (const line of ['  return ', '  const total ', '  a + ', '  "quoted"']) {
      assert.equal(pauseLikelihood(line), 'other', JSON.stringify(line));
    }
  });

  it('uses the setting until it has seen enough keystrokes', () => {
    const rhythm = rhythmOf([200, 220, 240]);
    assert.equal(rhythm.gapPercentile(50), undefined);
    assert.equal(rhythm.debounceMs(150, '  ret'), 150);
    assert.equal(rhythm.debounceMs(150, '  return '), 150);
    assert.equal(rhythm.debounceMs(150, '  return x;'), 0, 'no wait of its own where a pause is likely, rhythm or not');
  });

  it("waits out a slow typist's slower keystrokes inside a word, and no longer than twice the setting", () => {
    const slow = rhythmOf([180, 200, 220, 240, 200, 210, 230, 250, 190, 260]);
    assert.equal(slow.gapPercentile(90), 250);
    assert.equal(slow.debounceMs(150, '  ret'), 250);
    const verySlow = rhythmOf([600, 700, 800, 650, 750, 700, 900, 800, 850, 700]);
    assert.equal(verySlow.debounceMs(150, '  ret'), 300);
  });

  it("fires sooner than the setting between words for a fast typist, never later", () => {
    const fast = rhythmOf([70, 80, 90, 75, 85, 95, 80, 70, 90, 85]);
    assert.equal(fast.debounceMs(150, '  return '), 80);
    assert.equal(fast.debounceMs(150, '  ret'), 150, 'inside a word: at least the setting');
    const slow = rhythmOf([200, 220, 240, 260, 200, 210, 230, 250, 190, 260]);
    assert.equal(slow.debounceMs(150, '  return '), 150);
  });

  it('leaves pauses, switches of document and repeated calls out of the rhythm', () => {
    const rhythm = new TypingRhythm();
    let now = 0;
    for (let i = 0; i < 10; i++) {
      rhythm.note(uri, (now += 100));
      rhythm.note(uri, now);
    }
    rhythm.note(uri, (now += 5_000));
    rhythm.note('file:///ws/src/other.ts', (now += 120));
    rhythm.note(uri, now + 130);
    assert.equal(rhythm.gapPercentile(50), 100);
    assert.equal(rhythm.gapPercentile(100), 100);
  });

  it('waits for a typo twice the slow keystroke, within 2 to 4 times the setting, so a shorter setting (or a replay in compressed time) shortens it too', () => {
    const unknown = rhythmOf([200, 220, 240]);
    assert.equal(unknown.typoGraceMs(150, '  cart.itr'), 300, 'twice the setting until the rhythm is known');
    assert.equal(unknown.typoGraceMs(30, '  cart.itr'), 60);
    const steady = rhythmOf([180, 200, 220, 240, 200, 210, 230, 250, 190, 260]);
    assert.equal(steady.typoGraceMs(150, '  cart.itr'), 500, 'twice the slow keystroke (250 ms)');
    assert.equal(steady.typoGraceMs(100, '  cart.itr'), 400, 'at most four times the setting');
    assert.equal(steady.typoGraceMs(50, '  cart.itr'), 200);
    assert.equal(steady.typoGraceMs(150, '  cart.items;'), 0, 'no typo wait where a pause is likely');
    assert.equal(steady.typoGraceMs(0, '  cart.itr'), 0, 'a setting of 0 asks at once, typo or not');
  });
});
