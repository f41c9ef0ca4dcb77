import assert from 'node:assert/strict';
import { lazy } from '../../src/shared/lazy';

describe('lazy', () => {
  it('builds nothing until first asked, then builds once and keeps the value', () => {
    let builds = 0;
    const value = lazy(() => {
      builds++;
      return { built: builds };
    });
    assert.equal(builds, 0);
    const first = value();
    assert.deepEqual(first, { built: 1 });
    assert.equal(value(), first);
    assert.equal(builds, 1);
  });

  it('keeps a value that is undefined without building it again', () => {
    let builds = 0;
    const value = lazy(() => {
      builds++;
      return undefined;
    });
    assert.equal(value(), undefined);
    assert.equal(value(), undefined);
    assert.equal(builds, 1);
  });
});
