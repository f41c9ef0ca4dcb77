/**
 * The benchmarks (not tests): inline-completion pipeline overhead, a replayed
 * typing session, activation time and bundle size, chat streaming into the
 * panel of a real VS Code, reading a year of ledgers, typing into the editor
 * of a real VS Code, and Auto's request scoring. Writes
 * bench-output/report.json and prints the same numbers as tables.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { printActivation, runActivation, type ActivationReport } from './activation';
import { chatExperimentsFrom, printChatStreaming, runChatStreamingBench, type ChatStreamingReport } from './chatStreaming';
import { printCodeHighlight, runCodeHighlightBench, type CodeHighlightReport } from './codeHighlight';
import { printOverhead, runCompletionOverhead, type OverheadReport } from './completionOverhead';
import { COMPLETION_IDEAS, flippedVariant, runEditorTyping } from './editorTyping';
import { EDITOR_TRACES, printEditorTyping, type EditorTraceName, type EditorTypingReport } from './editorTypingReport';
import { printLedgerRead, runLedgerRead, type LedgerReadReport } from './ledgerRead';
import { printCostsOpen, runCostsOpenBench, type CostsOpenReport } from './costsOpen';
import { checkLines, machineInfo, type Check, type MachineInfo } from './report';
import { printReplay, runTypingReplay, type ReplayReport } from './typingReplay';
import { printCostsRebuild, runCostsRebuildBench, type CostsRebuildReport } from './costsRebuild';
import { printRouterBench, runRouterBench, type RouterBenchReport } from './routerScoring';

const SECTIONS = ['overhead', 'replay', 'activation', 'chat', 'highlight', 'ledger', 'editor', 'router', 'costs', 'rebuild'] as const;
type Section = (typeof SECTIONS)[number];

const ROOT = path.resolve(__dirname, '..');

const DEFAULT_EDITOR_VARIANTS = ['naive', 'no-ideas', 'switchboard', ...COMPLETION_IDEAS.map(flippedVariant)];

const USAGE = `Usage: npx tsx bench/run.ts [overhead] [replay] [activation] [chat] [highlight] [ledger] [editor] [router] [costs] [rebuild] [flags]   (no section: all ten)
  --latency-ms N       fake server time to first byte (150)
  --chunk-ms N         fake server time between streamed pieces (20)
  --chunks N           pieces per answer in the overhead section (4)
  --iterations N       overhead: measured calls per variant (100)
  --warmup N           overhead: unmeasured calls first (15)
  --lines N            overhead: lines of the generated file (2000)
  --time-scale F       replay: every duration (typing gaps, debounce, latency) multiplied by F (0.2)
  --pause-ms N         replay: a gap of at least this many trace ms is a pause (300)
  --wrong-rate F       replay: share of places where the fake answers other than what gets typed next (0.2)
  --debounce-ms N      replay: completion.debounceMs before scaling (150, the setting's default)
  --activation-runs N  activation: fresh processes (30)
  --no-build           activation, router: use the dist/ already built
  --chat-tokens N      chat: tokens streamed into the panel (20000)
  --chat-chunk-ms N    chat: ms between tokens (2 = 500 tokens/s)
  --chat-experiment A,B  chat: also a run with each of bench/chatStreaming.ts's CHAT_EXPERIMENTS, settings as shipped
                       (status-spinner,draw-at-once by default: the kept changes' off states; none for no extra run)
  --chat-trace-work    chat: also trace the renderer's work by kind (style, layout, paint, script by origin…);
                       off by default because those categories slow the stream the medians are measured on
  --highlight-runs N   highlight: measured code blocks per size and build (40)
  --highlight-baseline REV  highlight: git revision whose src/webview/chat/ is the "before" build (5dec6cb, one idle callback a block)
  --ledger-records N   ledger: records in the year of ledgers (1000000)
  --ledger-runs N      ledger: timed reads of each kind (20; the naive read at most 3)
  --editor-trace NAME    editor: the trace typed: reorder (fills a module's function bodies; the default) or topdown
                         (writes a new file from its first line to its last)
  --editor-variants A,B  editor: variants in order (${DEFAULT_EDITOR_VARIANTS.join(',')}; also baseline, no-NAME, with-NAME)
  --editor-baseline DIR  editor: another built Switchboard (package.json + dist/) measured as "baseline" first
  --editor-baseline-label TEXT  editor: its row's name (e.g. "main c152412")
  --editor-latency-ms N  editor: fake time to first byte (250)
  --editor-chunk-ms N    editor: fake time between streamed pieces (15)
  --editor-pause-ms N    editor: a gap of at least this many ms after a keystroke is a pause (600)
  --editor-connect-ms N  editor: held before the fake reads a new connection's first request, standing in for TCP + TLS setup (0)
  --editor-keystrokes N  editor: only the first N keystrokes of the trace (all)
  --editor-raw DIR       editor: also write each variant's samples (steps, ghost-text changes, requests) there
  --router-iterations N  router: measured calls per request shape and scorer (300)
  --cost-records N     costs, rebuild: ledger records over a year (1000000)
  --cost-runs N        costs: timed opens (5; the naive one at most 3); rebuild: rounds of the three first opens (5)
  --cost-live N        costs: records another process appends while the dashboard follows (200)
  --cost-live-rate N   costs: of them a second (20)
  --seed N             generated file and wrong answers (7)
  --out PATH           JSON report (bench-output/report.json)
  --strict             exit 1 when a target is missed`;

/** A bad command line: shown without a stack trace. */
class UsageError extends Error {}

interface BenchReport {
  generatedAt: string;
  machine: MachineInfo;
  options: Record<string, unknown>;
  sections: Section[];
  durationSeconds: Record<string, number>;
  overhead?: OverheadReport;
  replay?: ReplayReport;
  activation?: ActivationReport;
  chat?: ChatStreamingReport;
  highlight?: CodeHighlightReport;
  ledger?: LedgerReadReport;
  editor?: EditorTypingReport;
  router?: RouterBenchReport;
  costs?: CostsOpenReport;
  rebuild?: CostsRebuildReport;
  checks: Check[];
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        'latency-ms': { type: 'string', default: '150' },
        'chunk-ms': { type: 'string', default: '20' },
        chunks: { type: 'string', default: '4' },
        iterations: { type: 'string', default: '100' },
        warmup: { type: 'string', default: '15' },
        lines: { type: 'string', default: '2000' },
        'time-scale': { type: 'string', default: '0.2' },
        'pause-ms': { type: 'string', default: '300' },
        'wrong-rate': { type: 'string', default: '0.2' },
        'debounce-ms': { type: 'string', default: '150' },
        'activation-runs': { type: 'string', default: '30' },
        'chat-tokens': { type: 'string', default: '20000' },
        'chat-chunk-ms': { type: 'string', default: '2' },
        'chat-experiment': { type: 'string', multiple: true },
        'chat-trace-work': { type: 'boolean', default: false },
        'highlight-runs': { type: 'string', default: '40' },
        'highlight-baseline': { type: 'string', default: '5dec6cb' },
        'ledger-records': { type: 'string', default: '1000000' },
        'ledger-runs': { type: 'string', default: '20' },
        'editor-variants': { type: 'string' },
        'editor-trace': { type: 'string', default: 'reorder' },
        'editor-baseline': { type: 'string' },
        'editor-baseline-label': { type: 'string' },
        'editor-latency-ms': { type: 'string', default: '250' },
        'editor-chunk-ms': { type: 'string', default: '15' },
        'editor-pause-ms': { type: 'string', default: '600' },
        'editor-connect-ms': { type: 'string', default: '0' },
        'editor-keystrokes': { type: 'string' },
        'editor-raw': { type: 'string' },
        'router-iterations': { type: 'string', default: '300' },
        'cost-records': { type: 'string', default: '1000000' },
        'cost-runs': { type: 'string', default: '5' },
        'cost-live': { type: 'string', default: '200' },
        'cost-live-rate': { type: 'string', default: '20' },
        seed: { type: 'string', default: '7' },
        'no-build': { type: 'boolean', default: false },
        out: { type: 'string', default: 'bench-output/report.json' },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function parseOptions() {
  const { values, positionals } = parseCommandLine();
  const number = (name: keyof typeof values, min: number, max: number): number => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min || value > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, got ${String(values[name])}`);
    return value;
  };
  const unknown = positionals.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new UsageError(`unknown section ${unknown.join(', ')}: expected ${SECTIONS.join(', ')}`);
  return {
    help: values.help,
    sections: (positionals.length > 0 ? SECTIONS.filter((s) => positionals.includes(s)) : [...SECTIONS]) as Section[],
    latencyMs: number('latency-ms', 0, 10_000),
    chunkMs: number('chunk-ms', 0, 1_000),
    chunks: number('chunks', 1, 64),
    iterations: number('iterations', 10, 100_000),
    warmup: number('warmup', 0, 10_000),
    lines: number('lines', 100, 200_000),
    timeScale: number('time-scale', 0.01, 1),
    pauseMs: number('pause-ms', 1, 60_000),
    wrongRate: number('wrong-rate', 0, 1),
    debounceMs: number('debounce-ms', 0, 5_000),
    activationRuns: number('activation-runs', 1, 1_000),
    chatTokens: number('chat-tokens', 100, 1_000_000),
    chatChunkMs: number('chat-chunk-ms', 0, 1_000),
    chatExperiments: chatExperimentsFrom(values['chat-experiment']),
    chatTraceWork: values['chat-trace-work'] === true,
    highlightRuns: number('highlight-runs', 1, 10_000),
    highlightBaseline: values['highlight-baseline'],
    ledgerRecords: number('ledger-records', 1000, 10_000_000),
    ledgerRuns: number('ledger-runs', 1, 1000),
    routerIterations: number('router-iterations', 10, 100_000),
    costRecords: number('cost-records', 1000, 10_000_000),
    costRuns: number('cost-runs', 1, 1000),
    costLive: number('cost-live', 1, 100_000),
    costLiveRate: number('cost-live-rate', 1, 1000),
    seed: number('seed', 0, 2 ** 31),
    editor: {
      trace: editorTrace(values['editor-trace']),
      variants: editorVariants(values['editor-variants'], values['editor-baseline']),
      ...(values['editor-baseline'] ? { baseline: path.resolve(values['editor-baseline']) } : {}),
      ...(values['editor-baseline-label'] ? { baselineLabel: values['editor-baseline-label'] } : {}),
      latencyMs: number('editor-latency-ms', 0, 10_000),
      chunkMs: number('editor-chunk-ms', 0, 1_000),
      pauseMs: number('editor-pause-ms', 1, 60_000),
      connectMs: number('editor-connect-ms', 0, 10_000),
      ...(values['editor-keystrokes'] !== undefined ? { keystrokes: number('editor-keystrokes', 10, 100_000) } : {}),
      ...(values['editor-raw'] ? { rawDir: path.resolve(ROOT, values['editor-raw']) } : {}),
    },
    build: !values['no-build'],
    out: path.resolve(ROOT, values.out),
    strict: values.strict,
  };
}

/** The editor section's trace, by name. */
function editorTrace(given: string | undefined): EditorTraceName {
  const names = Object.keys(EDITOR_TRACES);
  if (given === undefined || !names.includes(given)) throw new UsageError(`--editor-trace must be one of ${names.join(', ')}, got ${String(given)}`);
  return given as EditorTraceName;
}

/** The editor section's variants: as given, or the defaults with the baseline first when a baseline build is given. */
function editorVariants(given: string | undefined, baseline: string | undefined): string[] {
  if (given !== undefined) return given.split(',').map((name) => name.trim()).filter((name) => name !== '');
  return baseline ? ['baseline', ...DEFAULT_EDITOR_VARIANTS] : DEFAULT_EDITOR_VARIANTS;
}

async function main(): Promise<number> {
  const options = parseOptions();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const machine = machineInfo();
  console.log(
    `Switchboard benchmarks — Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ` +
      `load average ${machine.loadAverage.join(' / ')} at start`,
  );
  const { help: _help, ...recorded } = options;
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    machine,
    options: { ...recorded, out: path.relative(ROOT, options.out) },
    sections: options.sections,
    durationSeconds: {},
    checks: [],
  };
  const timed = async <T>(section: Section, run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await run();
    report.durationSeconds[section] = Number(((performance.now() - start) / 1000).toFixed(1));
    return result;
  };

  if (options.sections.includes('overhead')) {
    report.overhead = await timed('overhead', () => runCompletionOverhead({ ...options, log }));
    console.log(printOverhead(report.overhead));
    report.checks.push(...report.overhead.checks);
  }
  if (options.sections.includes('replay')) {
    report.replay = await timed('replay', () => runTypingReplay({ ...options, root: ROOT, log }));
    console.log(printReplay(report.replay));
    report.checks.push(...report.replay.checks);
  }
  if (options.sections.includes('activation')) {
    report.activation = await timed('activation', () => runActivation({ root: ROOT, runs: options.activationRuns, build: options.build, log }));
    console.log(printActivation(report.activation));
    report.checks.push(...report.activation.checks);
  }
  if (options.sections.includes('chat')) {
    report.chat = await timed('chat', () =>
      runChatStreamingBench({
        root: ROOT,
        tokens: options.chatTokens,
        chunkDelayMs: options.chatChunkMs,
        naiveGraceSeconds: 10,
        naiveSamples: 60,
        pings: 300,
        pingIntervalMs: 20,
        seed: options.seed,
        experiments: options.chatExperiments,
        traceWork: options.chatTraceWork,
        log,
        // The activation section already made the release build.
        build: options.build && !options.sections.includes('activation'),
      }),
    );
    console.log(printChatStreaming(report.chat));
    report.checks.push(...report.chat.checks);
  }

  if (options.sections.includes('highlight')) {
    report.highlight = await timed('highlight', () =>
      runCodeHighlightBench({ root: ROOT, baseline: options.highlightBaseline, runs: options.highlightRuns, seed: options.seed, log }),
    );
    console.log(printCodeHighlight(report.highlight));
    report.checks.push(...report.highlight.checks);
  }

  if (options.sections.includes('ledger')) {
    report.ledger = await timed('ledger', () => runLedgerRead({ records: options.ledgerRecords, runs: options.ledgerRuns, seed: options.seed, log }));
    console.log(printLedgerRead(report.ledger));
    report.checks.push(...report.ledger.checks);
  }

  if (options.sections.includes('editor')) {
    report.editor = await timed('editor', () =>
      runEditorTyping({
        root: ROOT,
        ...options.editor,
        wrongRate: options.wrongRate,
        seed: options.seed,
        log,
        // An earlier section already made the release build.
        build: options.build && !options.sections.some((section) => section === 'activation' || section === 'chat'),
      }),
    );
    console.log(printEditorTyping(report.editor));
    report.checks.push(...report.editor.checks);
  }

  if (options.sections.includes('router')) {
    report.router = await timed('router', () =>
      runRouterBench({
        root: ROOT,
        iterations: options.routerIterations,
        warmup: 30,
        seed: options.seed,
        // Another section already built dist/.
        build: options.build && !options.sections.some((section) => section === 'activation' || section === 'chat' || section === 'editor'),
        log,
      }),
    );
    console.log(printRouterBench(report.router));
    report.checks.push(...report.router.checks);
  }

  if (options.sections.includes('costs')) {
    report.costs = await timed('costs', () => runCostsOpenBench({ records: options.costRecords, runs: options.costRuns, liveRecords: options.costLive, liveRate: options.costLiveRate, seed: options.seed, log }));
    console.log(printCostsOpen(report.costs));
    report.checks.push(...report.costs.checks);
  }

  if (options.sections.includes('rebuild')) {
    report.rebuild = await timed('rebuild', () => runCostsRebuildBench({ records: options.costRecords, runs: options.costRuns, seed: options.seed, log }));
    console.log(printCostsRebuild(report.rebuild));
    report.checks.push(...report.rebuild.checks);
  }

  await mkdir(path.dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n== Checks ==\n${checkLines(report.checks)}`);
  console.log(`\nTimes: ${Object.entries(report.durationSeconds).map(([name, s]) => `${name} ${s} s`).join(', ')}. Report: ${path.relative(ROOT, options.out)}`);
  const failed = report.checks.filter((check) => !check.pass).length;
  return options.strict && failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
