import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ledger } from '../../../src/core/ledger';
import { recordProblem } from '../../../src/core/ledger/record';
import type { RoutingInfo } from '../../../src/core/routing/autoRoute';
import { autoRecord } from './records';

describe('ledger records with routing', () => {
  it('accepts Auto\'s fields and a record without any of them', () => {
    assert.equal(recordProblem(autoRecord()), undefined);
    assert.equal(recordProblem(autoRecord({ routing: { mode: 'retry', tier: 'strong', reasons: ['asked again on the strong tier'] }, retryOf: 'rec-0' })), undefined);
    assert.equal(recordProblem(autoRecord({ routing: { mode: 'manual', reasons: ['model picked by you'] } })), undefined);
    const handedOver = { mode: 'auto', tier: 'strong', score: 0.2, handedOverFrom: 'cheap', reasons: ['handed over from the cheap tier: its models failed before answering'] } satisfies RoutingInfo;
    assert.equal(recordProblem(autoRecord({ routing: handedOver })), undefined);
    assert.equal(recordProblem(autoRecord({ routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'rec-0', retryOfUnpriced: true })), undefined);
    assert.equal(recordProblem(autoRecord({ routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'rec-0', retryOfHandedOver: true })), undefined);
    const { id: _id, routing: _routing, ...before } = autoRecord();
    assert.equal(recordProblem(before), undefined, 'records written before Auto stay valid');
  });

  it('names the field that is malformed', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ id: '' }, /"id" must be a non-empty string/],
      [{ retryOf: 42 }, /"retryOf" must be a non-empty string/],
      [{ routing: 'cheap' }, /"routing" must be an object/],
      [{ routing: { mode: 'sideways', reasons: [] } }, /"routing.mode" must be auto, retry or manual/],
      [{ routing: { mode: 'auto', tier: 'medium', reasons: [] } }, /"routing.tier" must be cheap or strong/],
      [{ routing: { mode: 'auto', tier: 'cheap', score: 2, reasons: [] } }, /"routing.score" must be a number from 0 to 1/],
      [{ routing: { mode: 'auto', tier: 'cheap', reasons: [1] } }, /"routing.reasons" must be a list of strings/],
      [{ routing: { mode: 'auto', tier: 'strong', handedOverFrom: 'sideways', reasons: [] } }, /"routing.handedOverFrom" must be cheap or strong/],
      [{ retryOfUnpriced: true }, /"retryOfUnpriced" must be true, beside "retryOf"/],
      [{ retryOf: 'rec-0', retryOfUnpriced: 'yes' }, /"retryOfUnpriced" must be true, beside "retryOf"/],
      [{ retryOfHandedOver: true }, /"retryOfHandedOver" must be true, beside "retryOf"/],
      [{ retryOf: 'rec-0', retryOfHandedOver: 1 }, /"retryOfHandedOver" must be true, beside "retryOf"/],
    ];
    for (const [fields, message] of cases) assert.match(recordProblem({ ...autoRecord(), ...fields }) ?? '', message, JSON.stringify(fields));
  });

  it('reads old and new records from one file, skipping a bad routing field with a warning naming the line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-routing-ledger-'));
    try {
      const file = path.join(dir, 'ledger.jsonl');
      const { id: _id, routing: _routing, ...old } = autoRecord();
      const lines = [old, autoRecord(), { ...autoRecord({ id: 'rec-2' }), routing: { mode: 'auto', reasons: 'none' } }];
      await writeFile(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
      const { records, warnings } = await new Ledger(file).read();
      assert.equal(records.length, 2);
      assert.equal(records[0]!.routing, undefined);
      assert.equal(records[1]!.routing?.tier, 'cheap');
      assert.deepEqual(warnings, [`${file}:3: skipped a line that is not a ledger record: "routing.reasons" must be a list of strings`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
