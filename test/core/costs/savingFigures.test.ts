import assert from 'node:assert/strict';
import { formatUsd } from '../../../src/core/cost';
import { savingFigures } from '../../../src/core/costs/savingFigures';

/** The figures as numbers: what a reader would subtract. */
function dollars(text: string): number {
  return Number(text.replace(/[$,]/g, ''));
}

describe('savingFigures', () => {
  it('gives the two costs enough decimals that they differ by the saving shown', () => {
    // formatUsd alone reads $0.14 and $0.14 beside a saving of $0.005.
    assert.equal(formatUsd(0.137), formatUsd(0.142));
    assert.deepEqual(savingFigures(0.137, 0.142), { actual: '$0.137', strong: '$0.142', saved: '$0.005', sign: 1 });
  });

  it('shows the saving as the difference of the costs as shown, rounded alike', () => {
    // 0.14249 - 0.13751 = 0.00498: two significant digits of the saving need four decimals, and the saving shown is
    // what the costs as shown differ by.
    const figures = savingFigures(0.13751, 0.14249);
    assert.deepEqual(figures, { actual: '$0.1375', strong: '$0.1425', saved: '$0.0050', sign: 1 });
    for (const [actual, strong] of [[1.234, 1.239], [12.5, 40.25], [0.0004, 0.0031], [1234.5671, 1234.5702], [0.3, 0.1]]) {
      const shown = savingFigures(actual!, strong!);
      const saved = dollars(shown.saved) * shown.sign;
      assert.equal(Math.round((dollars(shown.strong) - dollars(shown.actual)) * 1e6), Math.round(saved * 1e6), JSON.stringify(shown));
    }
  });

  it('keeps cents when the saving is cents or more, with thousands separated', () => {
    assert.deepEqual(savingFigures(1.2, 1.61), { actual: '$1.20', strong: '$1.61', saved: '$0.41', sign: 1 });
    assert.deepEqual(savingFigures(1234.5, 2345.75), { actual: '$1,234.50', strong: '$2,345.75', saved: '$1,111.25', sign: 1 });
  });

  it('says a negative saving by its sign, the figure without one', () => {
    assert.deepEqual(savingFigures(0.3, 0.1), { actual: '$0.30', strong: '$0.10', saved: '$0.20', sign: -1 });
  });

  it('rounds half up on the decimal form, as formatUsd does', () => {
    assert.deepEqual(savingFigures(1.005, 2.005), { actual: '$1.01', strong: '$2.01', saved: '$1.00', sign: 1 });
  });

  it('gives a tiny saving on large totals at most two decimals more than the costs need, so the figures stay readable', () => {
    // Two significant digits of the saving would be six decimals on every figure.
    assert.deepEqual(savingFigures(1234.567, 1234.567002), { actual: '$1,234.57', strong: '$1,234.57', saved: '$0.00', sign: 0 });
    assert.deepEqual(savingFigures(1234.56, 1234.5612), { actual: '$1,234.5600', strong: '$1,234.5612', saved: '$0.0012', sign: 1 });
    assert.deepEqual(savingFigures(1234.56, 1234.56004), { actual: '$1,234.56', strong: '$1,234.56', saved: '$0.00', sign: 0 });
    assert.deepEqual(savingFigures(25.5, 25.500071), { actual: '$25.5000', strong: '$25.5001', saved: '$0.0001', sign: 1 });
    for (const [actual, strong] of [[1234.567, 1234.567002], [99.994, 99.99600001], [0.1234, 0.12340009], [5000, 5000.000004]]) {
      const shown = savingFigures(actual!, strong!);
      for (const figure of [shown.actual, shown.strong, shown.saved]) assert.ok((figure.split('.')[1] ?? '').length <= 4, JSON.stringify(shown));
      assert.equal(Math.round((dollars(shown.strong) - dollars(shown.actual)) * 1e6), Math.round(dollars(shown.saved) * shown.sign * 1e6), JSON.stringify(shown));
    }
  });

  it('stops at a millionth of a dollar: float noise is no saving', () => {
    assert.deepEqual(savingFigures(0.5, 0.5 + 1e-12), { actual: '$0.50', strong: '$0.50', saved: '$0.00', sign: 0 });
    assert.deepEqual(savingFigures(0, 0), { actual: '$0.00', strong: '$0.00', saved: '$0.00', sign: 0 });
    assert.deepEqual(savingFigures(0, 0.0000002), { actual: '$0.00', strong: '$0.00', saved: '$0.00', sign: 0 });
    // Below a cent, the decimals the saving needs, no more.
    assert.deepEqual(savingFigures(0.0004, 0.0031), { actual: '$0.0004', strong: '$0.0031', saved: '$0.0027', sign: 1 });
  });
});
