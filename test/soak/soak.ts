/**
 * `npm run soak`: many routed requests at once, with faults, through the real
 * router, adapters and SDKs, against the fake providers on loopback; then
 * checks that everything was accounted for exactly once and that nothing was
 * left behind. Bounded in count and time; stops by itself. See README
 * ("Measured") for the figures and test/soak/plan.ts for the faults.
 *
 * Runs under `node --expose-gc` (the npm script passes it): the heap is
 * compared after forced collections.
 */
import { getEventListeners } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../../src/core/config';
import { costOf, roundUsd } from '../../src/core/cost';
import { Ledger } from '../../src/core/ledger';
import type { RouteResult } from '../../src/core/router';
import { Switchboard } from '../../src/core/switchboard';
import { percentile } from '../../bench/stats';
import { machineInfo } from '../../bench/report';
import { startFakeProviders, type LoggedRequest } from '../fakes/index';
import { textGate, type TextGate } from '../fakes/textGate';
import { fallbackReply, faultyReply, FAULTS, planRequest, textBeforeCut, type PlannedRequest } from './plan';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '50' },
    'fault-rate': { type: 'string', default: '0.1' },
    warmup: { type: 'string', default: '300' },
    seed: { type: 'string', default: '11' },
    'max-seconds': { type: 'string', default: '300' },
    out: { type: 'string', default: 'bench-output/soak.json' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const FAULT_RATE = Number(values['fault-rate']);
const WARMUP = Number(values.warmup);
const SEED = Number(values.seed);
const MAX_SECONDS = Number(values['max-seconds']);
/** Generous for loopback under load; a stall holds a request this long. */
const FIRST_TOKEN_MS = 5000;

const log = (line: string) => process.stderr.write(`${line}\n`);

const ROUTES = {
  completion: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5', 'bedrock:us.amazon.nova-micro-v1:0'],
  chat: ['anthropic:claude-sonnet-5', 'bedrock:us.anthropic.claude-sonnet-5', 'openai:gpt-5.4'],
  plan: ['bedrock:us.anthropic.claude-sonnet-5', 'openai:gpt-5.5', 'anthropic:claude-opus-5'],
};

/** The gate of a request that is not cut mid-stream: never opens. */
const NO_CUT: TextGate = { received: new Promise<void>(() => {}), onText: () => {} };

interface Outcome {
  planned: PlannedRequest;
  result: RouteResult;
  calledAt: number;
  wallMs: number;
}

async function main(): Promise<number> {
  const machine = machineInfo();
  const started = performance.now();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-soak-'));
  const ledgerPath = path.join(dir, 'ledger.jsonl');
  useFakeAwsCredentials(dir);
  const gc = globalThis.gc;
  if (!gc) throw new Error('run under node --expose-gc (npm run soak does)');

  // What each request's attempts reached, by tag: the first attempt plays the planned fault.
  const plans = new Map<string, { planned: PlannedRequest; gate: TextGate; attempts: LoggedRequest[] }>();
  const replyFor = (provider: string) => (request: LoggedRequest) => {
    const tag = /\[soak:\d+\]/.exec(JSON.stringify(request.body))?.[0];
    const entry = tag ? plans.get(tag) : undefined;
    if (!entry) return undefined;
    entry.attempts.push(request);
    return entry.attempts.length === 1 ? faultyReply(entry.planned, provider, entry.gate) : fallbackReply(entry.planned);
  };
  const resourcesBefore = activeResources();
  const fakes = await startFakeProviders({
    openai: { replyFor: replyFor('openai') },
    anthropic: { replyFor: replyFor('anthropic') },
    bedrock: { replyFor: replyFor('bedrock') },
  });
  const { config, problems } = resolveConfig({
    providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic, bedrock: fakes.urls.bedrock },
    routes: ROUTES,
    timeouts: { firstTokenMs: FIRST_TOKEN_MS, completionFirstTokenMs: FIRST_TOKEN_MS },
  });
  if (problems.length) throw new Error(JSON.stringify(problems));
  const switchboard = await Switchboard.create({
    config,
    source: 'bench',
    env: { OPENAI_API_KEY: 'soak', ANTHROPIC_API_KEY: 'soak', AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID!, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY! },
    ledgerPath,
    // A failed model rests a moment, as it would for seconds in use: the soak exercises skipping without starving a route.
    cooldowns: { throttledMs: 30, failedMs: 30 },
    onLedgerError: (error) => log(`ledger: ${error.message}`),
  });
  // One long-lived signal for every request: each must remove the listener it adds.
  const session = new AbortController();
  // Switchboard's own time is the call less the time inside the adapter (SDK, network, fake): each
  // adapter the registry hands out is wrapped to time its stream. Nothing else about it changes.
  const streamTimes = new Map<string, Array<{ start: number; end: number }>>();
  const loadAdapter = switchboard.registry.adapter.bind(switchboard.registry);
  switchboard.registry.adapter = async (id) => {
    const adapter = await loadAdapter(id);
    return {
      ...adapter,
      async *stream(model, request, signal) {
        const tag = /\[soak:\d+\]/.exec(request.messages[0]?.content ?? '')?.[0] ?? '';
        const time = { start: performance.now(), end: Number.NaN };
        streamTimes.set(tag, [...(streamTimes.get(tag) ?? []), time]);
        try {
          yield* adapter.stream(model, request, signal);
        } finally {
          time.end = performance.now();
        }
      },
    };
  };

  const outcomes: Outcome[] = [];
  let resourcesPeak: Resources = {};
  let inFlight = 0;
  let peakInFlight = 0;
  let next = 0;
  const deadline = started + MAX_SECONDS * 1000;
  const runOne = async (index: number) => {
    const planned = planRequest(index, SEED, FAULT_RATE);
    const gate: TextGate = planned.fault === 'reset mid-stream' ? textGate(textBeforeCut(planned)) : NO_CUT;
    plans.set(planned.tag, { planned, gate, attempts: [] });
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    const t0 = performance.now();
    const result = await switchboard.router.run(planned.task, planned.request, { signal: session.signal, onText: gate.onText });
    const t1 = performance.now();
    outcomes.push({ planned, result, calledAt: t0, wallMs: t1 - t0 });
    inFlight--;
  };
  const worker = async (until: number) => {
    while (next < until && performance.now() < deadline) await runOne(next++);
  };

  log(`soak: warm-up, ${WARMUP} requests…`);
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(WARMUP)));
  await switchboard.flush();
  const heapBefore = await settledHeap(gc);
  const loopStart = performance.now();
  const cpuStart = process.cpuUsage();
  log(`soak: ${REQUESTS} requests, ${CONCURRENCY} at once, ${FAULT_RATE * 100}% with a fault…`);
  const progress = setInterval(() => {
    log(`  ${outcomes.length - WARMUP} done, ${inFlight} in flight`);
    resourcesPeak = activeResources();
  }, 5000);
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(WARMUP + REQUESTS)));
  clearInterval(progress);
  const loopSeconds = (performance.now() - loopStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  await switchboard.flush();

  // ---- accounting -----------------------------------------------------------
  // In a function of its own: the records and bills it reads are gone before the heap is measured.
  const made = next;
  const accounting = await account(outcomes, ledgerPath, fakes, switchboard, plans, streamTimes);
  const { answered, errors, cancelled, fallbacks, billedAttempts, byFault, providersAnswering, ledgerRecords, ledgerUsd, billedUsd, mismatches, warnings, own, whole } = accounting;

  // ---- what is left behind ----------------------------------------------------
  // The soak's own records of the run go first; then the heap is what Switchboard (and the SDKs and
  // their idle connections, as at the start) still hold.
  plans.clear();
  streamTimes.clear();
  outcomes.length = 0;
  fakes.openai.reset();
  fakes.anthropic.reset();
  fakes.bedrock.reset();
  const abortListeners = getEventListeners(session.signal, 'abort').length;
  const heapAfter = await settledHeap(gc);
  await switchboard.dispose();
  await fakes.close();
  // Idle keep-alive sockets close on the server's timeout; wait for them, bounded.
  const settledBy = Date.now() + 15_000;
  let resourcesAfter = activeResources();
  while (!sameResources(resourcesBefore, resourcesAfter) && Date.now() < settledBy) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    resourcesAfter = activeResources();
  }

  const heapDeltaMiB = (heapAfter - heapBefore) / 2 ** 20;
  const checks = [
    check('at least 10,000 routed requests', made - WARMUP >= 10_000, `${made - WARMUP} after ${WARMUP} warm-up`),
    check('at least 50 in flight at once', peakInFlight >= 50, `peak ${peakInFlight}`),
    check(
      'requests of all three tasks, answered by all three providers',
      new Set([...providersAnswering].map((key) => key.split(':')[0])).size === 3 && new Set([...providersAnswering].map((key) => key.split(':')[1])).size === 3,
      [...providersAnswering].sort().join(', '),
    ),
    check('ledger records = requests made', ledgerRecords === made, `${ledgerRecords} records, ${made} requests`),
    check('answers + errors = requests; none left pending', answered + errors + cancelled === made && inFlight === 0 && cancelled === 0, `${answered} answers + ${errors} errors (+ ${cancelled} cancelled), ${inFlight} in flight`),
    check('ledger cost = the fakes’ bills, to 1e-9 USD', Math.abs(ledgerUsd - billedUsd) <= 1e-9, `ledger $${ledgerUsd}, bills $${billedUsd}${mismatches.length ? `; first mismatches: ${mismatches.slice(0, 5).join('; ')}` : ''}`),
    check('no ledger line skipped', warnings.length === 0, warnings.slice(0, 3).join('; ') || 'none'),
    check('heap after GC within 5 MiB of the start', Math.abs(heapDeltaMiB) <= 5, `${(heapBefore / 2 ** 20).toFixed(1)} → ${(heapAfter / 2 ** 20).toFixed(1)} MiB (${heapDeltaMiB >= 0 ? '+' : ''}${heapDeltaMiB.toFixed(2)})`),
    check('sockets, HTTP/2 sessions and timers back to the start', sameResources(resourcesBefore, resourcesAfter), `before ${JSON.stringify(resourcesBefore)}, after ${JSON.stringify(resourcesAfter)}`),
    check('abort listeners back to none', abortListeners === 0, `${abortListeners} left on the shared signal`),
    check('stopped within the time bound', performance.now() < deadline + 60_000, `${((performance.now() - started) / 1000).toFixed(0)} s of at most ${MAX_SECONDS}`),
  ];

  const report = {
    generatedAt: new Date().toISOString(),
    machine,
    options: { requests: REQUESTS, concurrency: CONCURRENCY, faultRate: FAULT_RATE, warmup: WARMUP, seed: SEED, firstTokenMs: FIRST_TOKEN_MS, faults: FAULTS },
    requests: made,
    answered,
    errors,
    fallbacks,
    billedAttempts,
    byFault,
    ledger: { records: ledgerRecords, costUsd: ledgerUsd, billedUsd },
    throughputPerSecond: Number(((made - WARMUP) / loopSeconds).toFixed(0)),
    cpuMsPerRequest: Number(((cpu.user + cpu.system) / 1000 / (made - WARMUP)).toFixed(3)),
    ownMs: { n: own.length, p50: round(percentile(own, 50), 3), p90: round(percentile(own, 90), 3), p99: round(percentile(own, 99), 3) },
    wholeCallMs: { n: whole.length, p50: round(percentile(whole, 50)), p99: round(percentile(whole, 99)) },
    heapMiB: { before: round(heapBefore / 2 ** 20), after: round(heapAfter / 2 ** 20) },
    resources: { before: resourcesBefore, peak: resourcesPeak, after: resourcesAfter },
    seconds: round((performance.now() - started) / 1000),
    checks,
  };
  const out = path.resolve(__dirname, '../..', values.out!);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });

  console.log(`Switchboard soak — Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, load average ${machine.loadAverage.join(' / ')} at start`);
  console.log(`${made} requests (${WARMUP} warm-up), ${answered} answered, ${errors} errors, ${fallbacks} fell back, ${billedAttempts} failed attempts billed`);
  console.log(`${report.throughputPerSecond} requests/s, peak ${peakInFlight} in flight, ${report.cpuMsPerRequest} ms CPU per request (Switchboard, SDKs and fakes in one process)`);
  console.log(`Switchboard's own time per answered request (the call less the adapter's stream): p50 ${report.ownMs.p50} ms, p90 ${report.ownMs.p90} ms, p99 ${report.ownMs.p99} ms (n=${own.length})`);
  console.log(`whole call (SDK, loopback, fake, event-loop queue): p50 ${report.wholeCallMs.p50} ms, p99 ${report.wholeCallMs.p99} ms`);
  console.log(`by fault: ${Object.entries(byFault).map(([fault, line]) => `${fault} ${line.requests} (${line.answered} answered)`).join('; ')}`);
  for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
  console.log(`Report: ${path.relative(process.cwd(), out)}`);
  return checks.every((c) => c.pass) ? 0 : 1;
}

interface Accounting {
  answered: number;
  errors: number;
  cancelled: number;
  fallbacks: number;
  billedAttempts: number;
  byFault: Record<string, { requests: number; answered: number; errors: number }>;
  providersAnswering: Set<string>;
  ledgerRecords: number;
  ledgerUsd: number;
  billedUsd: number;
  mismatches: string[];
  warnings: string[];
  own: number[];
  whole: number[];
}

/** Everything the checks compare: the outcomes, the ledger as written, and what the fakes billed. */
async function account(
  outcomes: readonly Outcome[],
  ledgerPath: string,
  fakes: Awaited<ReturnType<typeof startFakeProviders>>,
  switchboard: Switchboard,
  plans: ReadonlyMap<string, { attempts: LoggedRequest[] }>,
  streamTimes: ReadonlyMap<string, Array<{ start: number; end: number }>>,
): Promise<Accounting> {
  const answered = outcomes.filter((o) => o.result.record.outcome === 'ok').length;
  const errors = outcomes.filter((o) => o.result.record.outcome === 'error').length;
  const cancelled = outcomes.filter((o) => o.result.record.outcome === 'cancelled').length;
  const { records, warnings } = await new Ledger(ledgerPath).read();
  const ledgerUsd = roundUsd(records.reduce((sum, r) => sum + (r.costUsd ?? 0), 0));
  const bills = [...fakes.openai.bills.map((b) => ({ ...b, provider: 'openai' })), ...fakes.anthropic.bills.map((b) => ({ ...b, provider: 'anthropic' })), ...fakes.bedrock.bills.map((b) => ({ ...b, provider: 'bedrock' }))];
  const billedUsd = roundUsd(bills.reduce((sum, b) => sum + (costOf(b.usage, switchboard.priceTable.lookup(b.provider, b.model)) ?? 0), 0));
  const mismatches = costMismatches(outcomes, bills, switchboard);

  // Per answered request with one attempt: Switchboard's own time (the call less the adapter's stream)
  // and, for context, the whole call (SDK, loopback, the fake and the queue on a busy event loop included).
  const own: number[] = [];
  const whole: number[] = [];
  for (const o of outcomes) {
    if (o.planned.index < WARMUP || o.result.record.outcome !== 'ok' || o.result.record.attempts.length > 0) continue;
    const [time] = streamTimes.get(o.planned.tag) ?? [];
    if (!time || Number.isNaN(time.end) || !plans.has(o.planned.tag)) continue;
    own.push(time.start - o.calledAt + (o.calledAt + o.wallMs - time.end));
    whole.push(o.wallMs);
  }
  own.sort((a, b) => a - b);
  whole.sort((a, b) => a - b);

  const byFault: Accounting['byFault'] = {};
  for (const o of outcomes) {
    const line = (byFault[o.planned.fault] ??= { requests: 0, answered: 0, errors: 0 });
    line.requests++;
    if (o.result.record.outcome === 'ok') line.answered++;
    else line.errors++;
  }
  const fallbacks = records.filter((r) => r.outcome === 'ok' && r.attempts.some((a) => !a.error.startsWith('cooling down'))).length;
  const billedAttempts = records.reduce((sum, r) => sum + r.attempts.filter((a) => a.usage).length, 0);
  const providersAnswering = new Set(records.filter((r) => r.outcome === 'ok').map((r) => `${r.task}:${r.provider}`));
  return { answered, errors, cancelled, fallbacks, billedAttempts, byFault, providersAnswering, ledgerRecords: records.length, ledgerUsd, billedUsd, mismatches, warnings, own, whole };
}

interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

function check(name: string, pass: boolean, detail: string): Check {
  return { name, pass, detail };
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

/** Requests whose ledger cost differs from what the fakes billed for them: the place to look when the totals differ. */
function costMismatches(outcomes: readonly Outcome[], bills: ReadonlyArray<{ tag?: string; provider: string; model: string; usage: Parameters<typeof costOf>[0] }>, switchboard: Switchboard): string[] {
  const billedByTag = new Map<string, number>();
  for (const bill of bills) {
    if (!bill.tag) continue;
    billedByTag.set(bill.tag, (billedByTag.get(bill.tag) ?? 0) + (costOf(bill.usage, switchboard.priceTable.lookup(bill.provider, bill.model)) ?? 0));
  }
  const mismatches: string[] = [];
  for (const o of outcomes) {
    const billed = billedByTag.get(o.planned.tag) ?? 0;
    const recorded = o.result.record.costUsd ?? 0;
    if (Math.abs(billed - recorded) > 1e-12) {
      const tried = [...o.result.record.attempts.map((a) => `${a.provider} (${a.error}${a.usage ? ', billed' : ''})`), `${o.result.record.provider} ${o.result.record.outcome}`].join(' → ');
      mismatches.push(`${o.planned.tag} ${o.planned.fault}: recorded $${recorded}, billed $${billed} (${tried})`);
    }
  }
  return mismatches;
}

/**
 * The heap after full collections, with the event loop let run between them:
 * objects held through WeakRefs and FinalizationRegistry (fetch keeps its
 * responses so) go only once their finalizers have run.
 */
async function settledHeap(gc: () => void): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

type Resources = Record<string, number>;

/** Requests to the OS under way at the moment of looking (a file read, a write): not handles anything keeps. */
const TRANSIENT = /^(FSReq|CloseReq|WriteWrap|ShutdownWrap|GetAddrInfoReqWrap|FileHandleCloseReq)/;

/** Open handles by kind (sockets, servers, timers, HTTP/2 sessions…), and process listeners. */
function activeResources(): Resources {
  const counts: Resources = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (!TRANSIENT.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  counts['process listeners'] = process.eventNames().reduce((sum, name) => sum + process.listenerCount(name), 0);
  return counts;
}

function sameResources(a: Resources, b: Resources): boolean {
  const kinds = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...kinds].every((kind) => (a[kind] ?? 0) === (b[kind] ?? 0));
}

/** Bedrock requests are SigV4-signed from the process environment; nothing of this machine's AWS setup is used. */
function useFakeAwsCredentials(dir: string): void {
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK']) delete process.env[name];
  process.env.AWS_CONFIG_FILE = path.join(dir, 'aws-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'aws-credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_ACCESS_KEY_ID = 'SOAKFAKEKEYID0000000';
  process.env.AWS_SECRET_ACCESS_KEY = 'soak';
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
