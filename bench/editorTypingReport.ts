// What the editor-typing bench's replay leaves behind (its steps, the page's log, the fake's wire times) becomes
// numbers here: per variant, then the report and its table. Kept apart from editorTyping.ts, which drives VS Code,
// so the arithmetic can be read (and changed) without the browser and server plumbing around it.
import { type Check, ms, table } from './report';
import { rounded, summarize, type Summary } from './stats';
import type { FakeModelStats, Trace, TraceState } from './traceModel';
import type { WireTimes } from './wireProbe';
import type { EditorTypingOptions, EditorVariant } from './editorTyping';

/**
 * The editor bench's traces, by the name `--editor-trace` takes: `reorder` fills the function bodies of a
 * module's skeleton (the default); `topdown` writes a new file from its first line to its last.
 */
export const EDITOR_TRACES = {
  reorder: 'bench/editor-typing-trace.json',
  topdown: 'bench/editor-typing-trace-topdown.json',
} as const;
export type EditorTraceName = keyof typeof EDITOR_TRACES;

/** The last pause of the session: how long the replay waits after the last keystroke. */
export const FINAL_PAUSE_MS = 2_500;

/** One thing the replay did in the editor, and how the page's log shows it. */
export interface Step {
  kind: 'key' | 'insert' | 'accept' | 'move';
  /** `keydown` key, or `beforeinput` data for inserts. */
  match: { type: 'keydown' | 'input'; key: string };
  /** The trace state after the step (-1: before the first keystroke). */
  state: number;
  /** Characters an accepted suggestion typed. */
  characters?: number;
  /** Page time, paired from the page's log afterwards. */
  time?: number;
}

export interface PageLog {
  inputs: Array<{ t: number; type: 'keydown' | 'input'; key: string }>;
  ghosts: Array<{ t: number; text: string }>;
}

export interface EditorVariantReport {
  name: string;
  label: string;
  /** Keys and edits sent: typed characters, Backspace, Enter with indentation, Tab. */
  keystrokes: number;
  /** Suggestions accepted with Tab at the end of a pause, and the characters they typed. */
  accepts: number;
  acceptedCharacters: number;
  pauses: number;
  pausesWithGhostText: number;
  /**
   * Pauses after which the user goes on typing at that place (the trace's continuation there is not
   * blank), so a right suggestion exists; the others end a body, after which the user moves elsewhere.
   */
  pausesWhereTypingGoesOn: number;
  /** Of those, the pauses with ghost text. */
  pausesWhereTypingGoesOnWithGhostText: number;
  /** From a pause's last keystroke to ghost text visible in the editor, for pauses that got some. */
  waitMs: Summary;
  requests: number;
  requestsPerPause: number;
  /** The fake saw the client close the stream before the answer ended. */
  aborted: number;
  /** Answered in full, and no ghost text ever showed a part of the answer. */
  neverShown: number;
  /** Completion requests that opened a new connection (none reused). */
  onNewConnection: number;
  /** Requests the fake got that were not completions: connection warm-ups (GET /v1/models). */
  otherRequests: number;
  /** The file on disk at the end is the trace's final text (nothing else typed into it). */
  documentMatches: boolean;
  /** Steps whose keystroke the page's log did not show (their times are unknown). */
  unpairedSteps: number;
  fakeModel: FakeModelStats;
  wallSeconds: number;
}

export interface EditorTypingReport {
  method: string;
  trace: { file: string; keystrokes: number; pauses: number; durationSeconds: number; pauseDefinition: string };
  fake: { firstByteDelayMs: number; chunkDelayMs: number; wrongRate: number; connectMs: number };
  variants: EditorVariantReport[];
  checks: Check[];
}

export function analyse(
  variant: EditorVariant,
  states: readonly TraceState[],
  steps: Step[],
  pauses: number[],
  pageLog: PageLog,
  wire: WireTimes[],
  toEpoch: (pageTime: number) => number,
  extra: Pick<EditorVariantReport, 'documentMatches' | 'fakeModel' | 'wallSeconds'>,
): EditorVariantReport {
  pairStepTimes(steps, pageLog.inputs);
  const ghosts = pageLog.ghosts;
  const unpairedSteps = steps.filter((step) => step.time === undefined).length;

  const waits: number[] = [];
  let typingGoesOn = 0;
  let typingGoesOnWithGhost = 0;
  for (const index of pauses) {
    const step = steps[index];
    const from = step?.time;
    if (step === undefined || from === undefined) continue;
    const goesOn = (states[step.state]?.continuation ?? '').trim() !== '';
    if (goesOn) typingGoesOn++;
    const until = steps[index + 1]?.time ?? from + FINAL_PAUSE_MS;
    const shown = ghosts.find((ghost) => ghost.t > from && ghost.t < until && ghost.text.trim() !== '');
    if (!shown) continue;
    waits.push(shown.t - from);
    if (goesOn) typingGoesOnWithGhost++;
  }

  const completions = wire.filter((request) => /\/completions$/.test(request.path ?? ''));
  const answered = completions.filter((request) => !request.closedEarly && request.serverFinishedEpoch !== undefined);
  const shownRequests = new Set<WireTimes>();
  const squash = (text: string) => text.replace(/\s+/g, '');
  for (const ghost of ghosts) {
    const seen = squash(ghost.text);
    if (!seen) continue;
    const at = toEpoch(ghost.t);
    // The latest answer that had arrived and holds this text.
    const source = answered.findLast((request) => (request.serverFinishedEpoch ?? Infinity) <= at + 5 && squash(request.answer ?? '').includes(seen));
    if (source) shownRequests.add(source);
  }
  const accepts = steps.filter((step) => step.kind === 'accept');
  return {
    name: variant.name,
    label: variant.label,
    keystrokes: steps.filter((step) => step.kind !== 'move').length,
    accepts: accepts.length,
    acceptedCharacters: accepts.reduce((sum, step) => sum + (step.characters ?? 0), 0),
    pauses: pauses.length,
    pausesWithGhostText: waits.length,
    pausesWhereTypingGoesOn: typingGoesOn,
    pausesWhereTypingGoesOnWithGhostText: typingGoesOnWithGhost,
    waitMs: rounded(summarize(waits), 1),
    requests: completions.length,
    requestsPerPause: Number((completions.length / Math.max(1, pauses.length)).toFixed(2)),
    aborted: completions.filter((request) => request.closedEarly).length,
    neverShown: answered.filter((request) => !shownRequests.has(request)).length,
    onNewConnection: completions.filter((request) => request.newConnection).length,
    otherRequests: wire.length - completions.length,
    unpairedSteps,
    ...extra,
  };
}

/**
 * Gives each step the page time of its keydown or beforeinput, taking the
 * page's log in order. A step is looked for among the next few entries only,
 * so one that left no entry cannot pair the rest with later keys.
 */
function pairStepTimes(steps: Step[], inputs: PageLog['inputs']): void {
  let cursor = 0;
  for (const step of steps) {
    const found = inputs.findIndex(
      (input, index) => index >= cursor && index < cursor + PAIRING_WINDOW && input.type === step.match.type && input.key === step.match.key,
    );
    if (found === -1) continue;
    step.time = inputs[found]!.t;
    cursor = found + 1;
  }
}

/** Log entries one step may leave: keydown and beforeinput, or Go to Line's keys and its typed line number. */
const PAIRING_WINDOW = 8;

export function pauseCount(trace: Trace, pauseMs: number): number {
  return trace.events.filter((event, index) => {
    const next = trace.events[index + 1];
    return !next || next.t - event.t >= pauseMs;
  }).length;
}

export function buildReport(options: EditorTypingOptions, trace: Trace, pauses: number, variants: EditorVariantReport[]): EditorTypingReport {
  const ours = variants.find((variant) => variant.name === 'switchboard');
  // Today's behaviour: another build when given, else this build with every idea off.
  const baseline = variants.find((variant) => variant.name === 'baseline') ?? variants.find((variant) => variant.name === 'no-ideas');
  const checks: Check[] = [];
  if (ours) {
    const share = ours.pausesWithGhostText / Math.max(1, ours.pauses);
    checks.push(
      {
        name: 'editor: median wait from a pause to ghost text under 300 ms (250 ms model)',
        pass: ours.waitMs.median < 300,
        detail: `median ${ms(ours.waitMs.median, 0)} ms, p90 ${ms(ours.waitMs.p90, 0)} ms over ${ours.pausesWithGhostText} pauses`,
      },
      {
        name: 'editor: at most 1.5 requests per pause',
        pass: ours.requestsPerPause <= 1.5,
        detail: `${ours.requests} requests for ${ours.pauses} pauses (${ours.requestsPerPause})`,
      },
      {
        name: 'editor: ghost text at 90 % of pauses or more',
        pass: share >= 0.9,
        detail:
          `${ours.pausesWithGhostText} of ${ours.pauses} (${(share * 100).toFixed(0)} %); of the ${ours.pausesWhereTypingGoesOn} pauses where the user goes on typing at that place: ` +
          `${ours.pausesWhereTypingGoesOnWithGhostText} (${((ours.pausesWhereTypingGoesOnWithGhostText / Math.max(1, ours.pausesWhereTypingGoesOn)) * 100).toFixed(0)} %)`,
      },
    );
    if (baseline) {
      const wasted = (report: EditorVariantReport) => report.aborted + report.neverShown;
      checks.push({
        name: `editor: no more wasted requests than ${baseline.label}`,
        pass: wasted(ours) <= wasted(baseline),
        detail: `aborted + never shown: ${wasted(ours)} (${ours.aborted} + ${ours.neverShown}) against ${wasted(baseline)} (${baseline.aborted} + ${baseline.neverShown})`,
      });
    }
  }
  checks.push({
    name: 'editor: every variant typed the trace exactly, and the page saw every keystroke',
    pass: variants.every((variant) => variant.documentMatches && variant.fakeModel.unmatched === 0 && variant.unpairedSteps === 0),
    detail: variants
      .map((variant) => `${variant.name}: ${variant.documentMatches ? 'file matches' : 'FILE DIFFERS'}, ${variant.fakeModel.unmatched} unmatched prompts, ${variant.unpairedSteps} keystrokes not seen by the page`)
      .join('; '),
  });
  return {
    method:
      `${EDITOR_TRACES[options.trace]} (${trace.events.length} keystrokes) typed into a real VS Code (server + workbench in headless Chromium) at the trace's timing: characters with Playwright's keyboard, Enter with the next line's indentation as one inserted edit, ` +
      `Go to Line to each place typing starts; the editor's auto-closing, auto-indent and suggestions off so the document stays the trace's. At the end of a pause, ghost text that is exactly the start of what the trace types next is accepted with Tab and those keystrokes are skipped. ` +
      `Fake OpenAI server: ${options.latencyMs} ms to first byte, pieces ${options.chunkMs} ms apart, answering from the trace (wrong at a seeded ${Math.round(options.wrongRate * 100)} % of places)` +
      (options.connectMs > 0 ? `, behind a relay that holds each new connection ${options.connectMs} ms before its first bytes reach the fake (a stand-in for TCP and TLS setup with a real provider). ` : '. ') +
      `A pause is a gap of at least ${options.pauseMs} ms after a keystroke (trace time), or the end of the session (${FINAL_PAUSE_MS} ms); a replay running late catches up between pauses, so each pause lasts its whole trace gap on the page too. ` +
      'Pauses where typing goes on: the trace types more at that very place after the pause (its continuation there is not blank); the others end a body, after which the user moves elsewhere and no suggestion there is right. ' +
      'Wait: from the pause\'s last keystroke (keydown or beforeinput on the page) to the first change of the focused editor\'s ghost-text DOM after it that shows text, before the next keystroke. ' +
      'Requests, aborted (the fake saw the stream closed early) and never shown (answered in full, and no ghost text ever showed a part of the answer: whitespace-free substring, attributed to the latest answer holding it) are counted at the fake, after a warm-up in another file. ' +
      'Each variant runs in a fresh VS Code with a fresh fake server, one after another.',
    trace: {
      file: EDITOR_TRACES[options.trace],
      keystrokes: trace.events.length,
      pauses,
      durationSeconds: Number(((trace.events.at(-1)?.t ?? 0) / 1000).toFixed(1)),
      pauseDefinition: `gap ≥ ${options.pauseMs} ms after a keystroke (trace time), or the end of the session`,
    },
    fake: { firstByteDelayMs: options.latencyMs, chunkDelayMs: options.chunkMs, wrongRate: options.wrongRate, connectMs: options.connectMs },
    variants,
    checks,
  };
}

export function printEditorTyping(report: EditorTypingReport): string {
  const rows = report.variants.map((variant) => [
    variant.label,
    String(variant.requests),
    variant.requestsPerPause.toFixed(2),
    String(variant.aborted),
    String(variant.neverShown),
    `${variant.pausesWithGhostText}/${variant.pauses}`,
    `${variant.pausesWhereTypingGoesOnWithGhostText}/${variant.pausesWhereTypingGoesOn}`,
    ms(variant.waitMs.median, 0),
    ms(variant.waitMs.p90, 0),
    `${variant.accepts}`,
    `${variant.onNewConnection}`,
    `${variant.otherRequests}`,
  ]);
  return [
    '',
    `== 5. Typing in the editor (real VS Code in Chromium): ${report.trace.keystrokes} keystrokes, ${report.trace.pauses} pauses in the trace, ${report.trace.durationSeconds} s ==`,
    `fake model ${report.fake.firstByteDelayMs} ms to first byte, pieces ${report.fake.chunkDelayMs} ms apart, wrong at ${Math.round(report.fake.wrongRate * 100)} % of places` +
      `${report.fake.connectMs > 0 ? `, ${report.fake.connectMs} ms to set up each new connection` : ''}; pause: ${report.trace.pauseDefinition}`,
    table(['', 'requests', 'per pause', 'aborted', 'never shown', 'pauses w/ ghost', '… where typing goes on', 'wait median', 'p90', 'Tab', 'on new conn.', 'warm-ups'], rows),
  ].join('\n');
}
