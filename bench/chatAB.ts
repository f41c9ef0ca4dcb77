/**
 * One of bench/chatStreaming.ts's CHAT_EXPERIMENTS against the panel as
 * shipped (the direct stream on, flow control on), alternated in one run: A, B, A, B… so that a
 * machine whose load changes over the run weighs on both alike. The same
 * answer, the same measures as the chat section (chunk at host → the frame
 * that shows it; the webview's long tasks); per run, and the medians over the
 * runs of each side, with the load average before and after each run.
 *
 * The direct stream off against on (shipped): --experiment no-direct-stream.
 *
 *   npx tsx bench/chatAB.ts --experiment frame-pacing [--pairs 3] [--chat-tokens N] [--chat-chunk-ms N] [--no-build] [--out PATH]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../scripts/vscode/browser.mjs';
import { splitIntoChunks } from '../test/fakes/fakeServer';
import { generateChatAnswer } from './chatAnswer';
import { buildRelease, CHAT_EXPERIMENTS, chatExperimentProblem, measureSwitchboard, summarizePanelRun, type ChatStreamingOptions, type PanelRunReport } from './chatStreaming';
import { machineInfo, table } from './report';

interface AbRun {
  side: 'A' | 'B';
  /** Load average (1 min) just before and just after the run. */
  loadBefore: number;
  loadAfter: number;
  report: PanelRunReport;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The longest webview task of a run, of any attribution (the panel's own, or one Chromium gave its parent frame). */
const longestWebviewTask = (report: PanelRunReport) => Math.max(report.longTasks.longestTaskMs, report.longTasks.longestFrameMs);

/** VS Code's relay split at the workbench (medians, ms): post → workbench, workbench → panel, panel → ack in workbench; the idle pings' two legs in brackets. */
function relayLegs(report: PanelRunReport): string {
  const split = report.relaySplitMs;
  if (!split) return '';
  const m = (summary: { median: number }) => summary.median.toFixed(1);
  return `${m(split.hostToWorkbench)} / ${m(split.workbenchToWebview)} / ${m(split.webviewToWorkbenchAck)} (${m(split.pingHostToWorkbench)} / ${m(split.pingWorkbenchToWebview)})`;
}

function rowOf(run: AbRun, index: number): string[] {
  const { report } = run;
  return [
    `${index + 1} ${run.side}`,
    `${run.loadBefore.toFixed(1)} → ${run.loadAfter.toFixed(1)}`,
    String(report.arrivalTokensPerSecond),
    String(report.messagesPosted),
    report.arrivalToPresentedMs.median.toFixed(1),
    report.arrivalToPresentedMs.p99.toFixed(1),
    longestWebviewTask(report).toFixed(0),
    String(report.longTasks.tasksOver50Ms),
    (report.hostWaitMs?.median ?? Number.NaN).toFixed(1),
    report.arrivalToWebviewMs.median.toFixed(1),
    report.webviewToPaintMs.median.toFixed(1),
    report.idlePingMs.median.toFixed(1),
    relayLegs(report),
    report.slowestFrames.map((frame) => `${frame.renderMs}@${frame.atCharacter}`).slice(0, 3).join(' '),
  ];
}

export function printAb(experiment: string, runs: AbRun[]): string {
  const header = ['run', 'load avg', 'tok/s', 'messages', 'median', 'p99', 'longest task', 'tasks>50', 'host wait', 'host→webview', 'webview→paint', 'ping floor', 'post→wb / wb→webview / ack→wb (ping)', 'slowest frames ms@char'];
  const side = (name: 'A' | 'B') => runs.filter((run) => run.side === name);
  const summary = (name: 'A' | 'B') => {
    const list = side(name);
    return [
      `${name} (${list.length} runs)`,
      `median of medians ${median(list.map((run) => run.report.arrivalToPresentedMs.median)).toFixed(1)} ms`,
      `median p99 ${median(list.map((run) => run.report.arrivalToPresentedMs.p99)).toFixed(1)} ms`,
      `longest task ${Math.max(...list.map((run) => longestWebviewTask(run.report))).toFixed(0)} ms (median ${median(list.map((run) => longestWebviewTask(run.report))).toFixed(0)})`,
      `messages ${median(list.map((run) => run.report.messagesPosted))}`,
    ].join(', ');
  };
  const pairs = side('A').map((a, i) => {
    const b = side('B')[i];
    return b ? (b.report.arrivalToPresentedMs.median - a.report.arrivalToPresentedMs.median).toFixed(1) : '';
  });
  return [
    `== chat A/B: A = as shipped (direct stream on, flow control on), B = ${experiment}: ${CHAT_EXPERIMENTS[experiment]?.description ?? ''} ==`,
    'chunk at host → its frame (ms), per run in the order run:',
    table(header, runs.map(rowOf)),
    summary('A'),
    summary('B'),
    `B − A per pair (median, ms): ${pairs.join(', ')}`,
  ].join('\n');
}

/** `--experiment`'s value, checked: one of CHAT_EXPERIMENTS (a renamed one is refused with its new name). */
export function abExperimentFrom(value: string): string {
  const problem = chatExperimentProblem([value], '--experiment');
  if (problem !== undefined) throw new Error(problem);
  return value;
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const { values } = parseArgs({
    options: {
      experiment: { type: 'string', default: 'frame-pacing' },
      pairs: { type: 'string', default: '3' },
      'chat-tokens': { type: 'string', default: '20000' },
      'chat-chunk-ms': { type: 'string', default: '2' },
      'chat-pings': { type: 'string', default: '300' },
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-output/chat-ab.json' },
    },
  });
  const experiment = abExperimentFrom(String(values.experiment));
  const count = (name: 'pairs' | 'chat-tokens' | 'chat-chunk-ms' | 'chat-pings', min: number, max: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${String(values[name])}`);
    return value;
  };
  const pairs = count('pairs', 1, 20);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const options: ChatStreamingOptions = {
    root,
    tokens: count('chat-tokens', 10, 60_000),
    chunkDelayMs: count('chat-chunk-ms', 0, 1_000),
    naiveGraceSeconds: 0,
    naiveSamples: 1,
    pings: count('chat-pings', 1, 2_000),
    pingIntervalMs: 20,
    build: !values['no-build'],
    seed: 7,
    log,
  };
  const machine = machineInfo();
  console.log(`Switchboard chat A/B — ${machine.cpus} × ${machine.cpuModel}, load average ${machine.loadAverage.join(' / ')} at start`);
  if (options.build) await buildRelease(root, log);
  const answer = generateChatAnswer(options.seed, options.tokens);
  const chunks = splitIntoChunks(answer, options.tokens);
  const temp = mkdtempSync(path.join(tmpdir(), 'switchboard-chat-ab-'));
  const browser = await launchChromium();
  const runs: AbRun[] = [];
  try {
    for (let pair = 0; pair < pairs; pair++) {
      for (const side of ['A', 'B'] as const) {
        const loadBefore = loadavg()[0] ?? Number.NaN;
        const run = await measureSwitchboard({
          ...options,
          answer,
          chunks,
          temp: path.join(temp, `${pair}${side}`),
          browser,
          flowControl: true,
          ...(side === 'B' ? { experiment } : {}),
        });
        const report = summarizePanelRun(run, chunks);
        runs.push({ side, loadBefore, loadAfter: loadavg()[0] ?? Number.NaN, report });
        log(`chat A/B: run ${runs.length} (${side}) median ${report.arrivalToPresentedMs.median} ms, p99 ${report.arrivalToPresentedMs.p99} ms`);
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    rmSync(temp, { recursive: true, force: true });
  }
  console.log(printAb(experiment, runs));
  const out = path.resolve(root, String(values.out));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ generatedAt: new Date().toISOString(), machine, experiment, runs }, null, 2)}\n`);
  console.log(`Report: ${path.relative(root, out)}`);
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(2);
    },
  );
}
