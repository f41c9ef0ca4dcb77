import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EVAL_SET_PATH, FAMILIES, readEvalSet } from '../../../scripts/router/evalSet';
import model from '../../../src/core/routing/model.json';

const LEVEL_QUALITY = { 0: 1, 1: 0.85, 2: 0.55, 3: 0.25 } as const;

describe('the router evaluation set (eval/router/requests.jsonl)', () => {
  const items = readEvalSet();

  it('holds at least 500 labelled requests with unique ids', () => {
    assert.ok(items.length >= 500, `${items.length} requests`);
    assert.equal(new Set(items.map((item) => item.id)).size, items.length);
  });

  it('labels every request by the rubric: quality from the level, cheap suffices up to level 1', () => {
    for (const item of items) {
      assert.equal(item.cheapQuality, LEVEL_QUALITY[item.level], item.id);
      assert.equal(item.cheapSuffices, item.level <= 1, item.id);
      assert.ok(item.inputTokens > 0 && item.outputTokens > 0, item.id);
      assert.ok(item.prompt.trim().length > 0, item.id);
    }
  });

  it('keeps about a third of every family and level out of training', () => {
    const test = items.filter((item) => item.split === 'test');
    assert.ok(Math.abs(test.length / items.length - 0.35) < 0.03, `${test.length} of ${items.length} held out`);
    for (const family of FAMILIES) {
      for (const level of [0, 1, 2, 3]) {
        const stratum = items.filter((item) => item.family === family && item.level === level);
        if (stratum.length < 3) continue;
        const held = stratum.filter((item) => item.split === 'test').length;
        assert.ok(held >= 1 && held < stratum.length, `${family} level ${level}: ${held} of ${stratum.length} held out`);
      }
    }
  });

  it('labels a one-step textbook equation level 1, as the rubric says, and keeps a corrected label in its first part', () => {
    // math-057 was level 2 ("short"); the rubric's level 2 needs five or more dependent steps or a trap.
    const equation = items.find((item) => item.prompt === 'Solve for x: 2^(x+1) = 32.');
    assert.equal(equation?.level, 1);
    assert.equal(equation?.relabelledFrom, 2);
    assert.equal(equation?.split, 'test', 'still held out: the split keeps the stratum of the level first written');
    for (const item of items) if (item.relabelledFrom !== undefined) assert.notEqual(item.relabelledFrom, item.level, item.id);
  });

  it('is not separable by length alone: long easy requests and short hard ones are in it', () => {
    const longEasy = items.filter((item) => item.level === 0 && item.prompt.length > 10_000);
    const shortHard = items.filter((item) => item.level === 3 && item.prompt.length < 200 && !item.history);
    assert.ok(longEasy.length >= 5, `${longEasy.length} long easy requests`);
    assert.ok(shortHard.length >= 20, `${shortHard.length} short hard requests`);
    assert.ok(items.filter((item) => item.history).length >= 30);
    assert.ok(items.filter((item) => item.task === 'plan').length >= 30);
  });

  it('is the set the shipped model was trained on', () => {
    const sha = createHash('sha256').update(readFileSync(EVAL_SET_PATH)).digest('hex');
    assert.equal((model.training as { evalSetSha256: string }).evalSetSha256, sha, 'requests.jsonl changed since npm run train:router');
  });
});
