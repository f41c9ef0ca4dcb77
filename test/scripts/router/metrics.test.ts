import assert from 'node:assert/strict';
import { seededRandom } from '../../../bench/stats';
import { apgr, dialMisses, pgrCurve, shareThresholds, spread, strongShareToRecover } from '../../../scripts/router/metrics';
import { thresholdForShare } from '../../../src/core/routing/routingModel';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} should be ${expected}`);

describe('router metrics (APGR)', () => {
  // Gaps (strong 1 − cheap): 0.75, 0.45, 0, 0 → total 1.2.
  const items = [
    { cheapQuality: 0.25 },
    { cheapQuality: 0.55 },
    { cheapQuality: 1 },
    { cheapQuality: 1 },
  ];

  it('recovers the gap in score order: the perfect router', () => {
    const curve = pgrCurve(items.map((item, i) => ({ ...item, score: 4 - i })));
    assert.equal(curve.length, 5);
    close(curve[1]!, 0.75 / 1.2);
    close(curve[2]!, 1);
    close(curve[4]!, 1);
    // Trapezoids: (0 + .625)/2 + (.625 + 1)/2 + 1 + 1, over 4.
    close(apgr(curve), (0.3125 + 0.8125 + 1 + 1) / 4);
    assert.equal(strongShareToRecover(curve, 0.5), 0.25);
    assert.equal(strongShareToRecover(curve, 0.8), 0.5);
  });

  it('scores the worst order low and a constant score (all tied) as random: 0.5', () => {
    const worst = pgrCurve(items.map((item, i) => ({ ...item, score: i })));
    close(worst[2]!, 0);
    const tied = pgrCurve(items.map((item) => ({ ...item, score: 0.3 })));
    for (let k = 0; k <= 4; k++) close(tied[k]!, k / 4);
    close(apgr(tied), 0.5);
  });

  it('averages a tied group rather than trusting its order', () => {
    const curve = pgrCurve([
      { score: 0.9, cheapQuality: 0.25 },
      { score: 0.5, cheapQuality: 0.55 },
      { score: 0.5, cheapQuality: 1 },
    ]);
    close(curve[1]!, 0.75 / 1.2);
    close(curve[2]!, (0.75 + 0.225) / 1.2);
  });

  it('puts a random router near 0.5 on average', () => {
    const random = seededRandom(3);
    const many = Array.from({ length: 300 }, () => ({ score: 0, cheapQuality: random() }));
    const values = Array.from({ length: 200 }, () => apgr(pgrCurve(many.map((item) => ({ ...item, score: random() })))));
    const { mean, std, low, high } = spread(values);
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
    assert.ok(std > 0 && low < mean && mean < high);
  });

  it('turns dial shares into score quantiles', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
    const [none, tenth, half, all] = shareThresholds(scores, [0, 0.1, 0.5, 1]);
    assert.equal(none, 1);
    close(tenth!, 0.85);
    close(half!, 0.45);
    assert.equal(all, 0);
    assert.equal(scores.filter((s) => s >= half!).length, 5);
  });

  it('finds no dial value off its share when the thresholds are the scores\' quantiles, between the stored points too', () => {
    const random = seededRandom(5);
    const scores = Array.from({ length: 427 }, () => random());
    const shares = Array.from({ length: 101 }, (_, i) => i / 100);
    const dial = { defaultShare: 0.5, shares, thresholds: shareThresholds(scores, shares) };
    const at = (share: number) => thresholdForShare(dial, share);
    assert.deepEqual(dialMisses(scores, shares, at), []);
    assert.deepEqual(dialMisses(scores, Array.from({ length: 1001 }, (_, i) => i / 1000), at, 0.01), []);
  });

  it('names a dial value whose threshold sends one request too many or too few', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
    // 0.5 should send 5 of 10; a threshold at 0.55 sends 4, at 0.35 sends 6.
    assert.deepEqual(dialMisses(scores, [0.5], () => 0.45), []);
    assert.deepEqual(dialMisses(scores, [0.5], () => 0.55).map((miss) => [miss.share, miss.sent]), [[0.5, 0.4]]);
    assert.deepEqual(dialMisses(scores, [0.5], () => 0.35).map((miss) => [miss.share, miss.sent]), [[0.5, 0.6]]);
    // Between stored points a step's slack is allowed, no more.
    assert.deepEqual(dialMisses(scores, [0.5], () => 0.35, 0.1), []);
  });

  it('allows a group tied on the threshold to go together', () => {
    const scores = [0.9, 0.8, 0.6, 0.6, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05];
    // 0.3 of 10 is 3, but the cut falls inside three requests tied at 0.6: all three go, 5 in all.
    assert.deepEqual(dialMisses(scores, [0.3], () => shareThresholds(scores, [0.3])[0]!), []);
    assert.equal(dialMisses(scores, [0.2], () => 0.6).length, 1, 'at 0.2 the tie is not where the cut belongs');
  });
});
