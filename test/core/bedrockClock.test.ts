/**
 * This machine's clock off from AWS's: Bedrock refuses the signature ("Signature expired"), and says its own time
 * in the refusal's Date header. Through the real router, adapter and AWS SDK, to the Bedrock fake.
 */
import assert from 'node:assert/strict';
import { NOVA, routerHarness } from './routerHarness';

const ROUTE = { routes: { chat: [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5'] } };
const AHEAD_MS = 15 * 60_000;

/** AWS's words for a signature dated too long before its clock. */
const expired = (serverTime: Date) => ({
  errorCode: 'InvalidSignatureException',
  status: 403,
  errorMessage: `Signature expired: 20261203T070000Z is now earlier than ${amzDate(new Date(serverTime.getTime() - 5 * 60_000))} (${amzDate(serverTime)} - 5 min.)`,
  serverDate: serverTime,
});

function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** When a request was signed, from its X-Amz-Date. */
function signedAt(headers: Record<string, unknown>): number {
  const value = String(headers['x-amz-date']);
  return Date.parse(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
}

describe("Bedrock with this machine's clock off", function () {
  this.timeout(20_000);
  const h = routerHarness('bedrock-clock');

  it("signs the refused request again at AWS's time, once: one record, no fallback", async () => {
    const { run } = await h.open(ROUTE);
    h.fakes.bedrock.script(expired(new Date(Date.now() + AHEAD_MS)));
    const result = await run('chat');

    assert.equal(result.error, undefined);
    assert.deepEqual([result.record.outcome, result.record.provider, result.record.attempts], ['ok', 'bedrock', []]);
    assert.equal(h.fakes.anthropic.requests.length, 0, 'no fallback');
    const [refused, again] = h.fakes.bedrock.requests;
    assert.ok(refused && again);
    const shift = signedAt(again.headers) - signedAt(refused.headers);
    assert.ok(Math.abs(shift - AHEAD_MS) < 60_000, `signed again ${shift} ms later, at AWS's time`);

  });

  it('says to set the clock when AWS gives no time to go by, and falls back', async () => {
    const { run } = await h.open(ROUTE);
    // The refusal's Date is this machine's own: signing again would change nothing.
    h.fakes.bedrock.script(expired(new Date()));
    const result = await run('chat');

    assert.deepEqual([result.record.outcome, result.record.provider], ['ok', 'anthropic']);
    assert.equal(h.fakes.bedrock.requests.length, 1);
    assert.equal(result.record.attempts.length, 1);
    assert.match(
      result.record.attempts[0]!.error,
      /^bedrock refused the request's signature as dated too far from AWS's clock \(InvalidSignatureException, 403\): this computer's clock is off by more than 5 minutes; set it right \(turn on automatic time sync\) and ask again$/,
    );
  });
});
