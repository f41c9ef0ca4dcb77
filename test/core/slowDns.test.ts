/**
 * A provider host whose name takes seconds to look up, played for real: a child in a network and mount namespace of
 * its own (unshare, as the ledger's disk faults are played), its /etc/resolv.conf bound to one naming a fake DNS server
 * on that namespace's 127.0.0.1, which answers after 4 s. Node's fetch (the OpenAI SDK's) resolves through the
 * system's resolver, getaddrinfo, as on any machine: nothing of Switchboard's is replaced. What a user sees: the
 * lookup's time counts against the first-token limit, and a limit that runs out during it is said as the lookup's
 * (src/core/providers/connectionPhases.ts), not the model's: the host rests briefly, and the route goes on.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const CHILD = path.join(__dirname, 'children', 'slowDnsRequest.ts');
const DNS_DELAY_MS = 4000;

interface Seen {
  outcome: string;
  error: string | null;
  latencyMs: number;
}

describe('a provider host whose name takes 4 s to look up', function () {
  this.timeout(60_000);
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-slow-dns-'));
    await writeFile(path.join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  async function ask(task: 'chat' | 'completion', route = ''): Promise<unknown> {
    const script = 'ip link set lo up && mount --bind "$1" /etc/resolv.conf && exec "$2" --import tsx "$3" "$4" "$5" "$6"';
    const { stdout } = await promisify(execFile)(
      'unshare',
      ['--user', '--map-root-user', '--net', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', path.join(dir, 'resolv.conf'), process.execPath, CHILD, String(DNS_DELAY_MS), task, route],
      { timeout: 50_000 },
    );
    return (JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>)[task];
  }

  const LOOKUP_TOO_SLOW =
    /^openai could not be reached in time: DNS lookup of slow-dns\.test took over (\d+) ms, within the 3000 ms of switchboard\.timeouts\.completionFirstTokenMs; the request never reached the model$/;

  it('chat: answered, the lookup in its latency; ghost text: "DNS lookup of slow-dns.test took over … ms", not the model\'s first token', async () => {
    // A process each: fetch keeps the connection it made alive for the next request, which then looks nothing up.
    const [chat, completion] = (await Promise.all([ask('chat'), ask('completion')])) as [Seen, Seen];

    assert.deepEqual([chat.outcome, chat.error], ['ok', null]);
    assert.ok(chat.latencyMs >= DNS_DELAY_MS, `the lookup is in the chat answer's latency (${chat.latencyMs} ms)`);

    const said = /^every model of the completion route failed \(openai:gpt-5\.4-nano: (.*)\)$/.exec(completion.error ?? '');
    assert.ok(said, `the route failed, naming its model: ${completion.error}`);
    const lookup = LOOKUP_TOO_SLOW.exec(said[1]!);
    assert.ok(lookup, `said as the lookup's slowness, not "no first token": ${said[1]}`);
    // The lookup's own time, from its socket's start, a little after the watchdog was armed (2988 ms measured; a
    // busy machine may start it later, or fire the watchdog late): most of the limit.
    assert.ok(Number(lookup[1]) > 2000, `the lookup's own time is said (${lookup[1]} ms)`);
    // The watchdog fires at 3 s; when the request then ends depends on where the lookup was, so only its floor is pinned.
    assert.ok(completion.latencyMs >= 3000, `ended no sooner than the watchdog (${completion.latencyMs} ms)`);
  });

  it('ghost text with a second provider: answered by it at once; the next request passes the slow host over while it rests, briefly', async () => {
    const [first, second] = (await ask('completion', 'fallback')) as [Seen & Routed, Seen & Routed];

    assert.deepEqual([first.outcome, first.error, first.answeredBy], ['ok', null, 'anthropic']);
    assert.equal(first.attempts.length, 1);
    assert.match(first.attempts[0]!.replace(/^openai:gpt-5\.4-nano: /, ''), LOOKUP_TOO_SLOW);
    assert.ok(first.latencyMs < DNS_DELAY_MS, `the fallback did not wait for the lookup (${first.latencyMs} ms)`);

    // The host rests (5 s, as for one that cannot be reached), saying why; nothing was asked of it, so no second 3 s wait.
    assert.deepEqual([second.outcome, second.error, second.answeredBy], ['ok', null, 'anthropic']);
    assert.equal(second.attempts.length, 1);
    assert.match(second.attempts[0]!, /^openai:gpt-5\.4-nano: cooling down \([1-5]s left\) after: openai could not be reached in time: DNS lookup of slow-dns\.test took over \d+ ms/);
    assert.ok(second.latencyMs < 1000, `the resting host was not waited for (${second.latencyMs} ms)`);
  });
});

interface Routed {
  answeredBy: string;
  attempts: string[];
}
