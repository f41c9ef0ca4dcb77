import assert from 'node:assert/strict';
import { SpendTracker } from '../../src/core/spendTracker';
import { recentRequestItem } from '../../src/vscode/requestStory';
import { statusView } from '../../src/vscode/statusModel';
import { autoRecord } from '../core/routing/records';

describe('status bar and recent requests: what Auto decided', () => {
  it('puts the tier, reasons and score in the tooltip and the quick pick', () => {
    const last = autoRecord({ time: new Date().toISOString() });
    const tracker = new SpendTracker();
    tracker.add(last);
    const view = statusView({ simulated: false, anyUsableProvider: true, last, today: tracker.today() });
    assert.match(view.tooltip, /Auto: cheap tier: short request \(5 words\), no code attached \(score 0\.08\)/);
    assert.match(recentRequestItem(last).detail, /· Auto: cheap tier: short request \(5 words\), no code attached \(score 0\.08\)/);
    const retry = recentRequestItem(autoRecord({ routing: { mode: 'retry', tier: 'strong', reasons: ['asked again on the strong tier'] } }));
    assert.match(retry.detail, /Retry: strong tier: asked again on the strong tier/);
  });

  it('says nothing of Auto for a request it played no part in', () => {
    const item = recentRequestItem(autoRecord({ routing: undefined }));
    assert.doesNotMatch(item.detail, /tier/);
  });
});
