/**
 * The chat panel's work after an answer has ended: long code blocks, shown
 * in slices while they streamed, are highlighted again so they look as a
 * whole render would. Measured in headless Chromium on the real webview
 * modules, this build against a baseline build of the same modules from git
 * (by default the commit before that work was split: one idle callback
 * highlighting the whole block), interleaved block by block in one run.
 *
 * A "task" is one idle callback plus the style and layout its DOM change
 * causes (forced at the callback's end, so it is counted where it is caused
 * rather than in the next frame).
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { launchTestChromium } from '../test/webview/chatHarness';
import { table, type Check } from './report';
import { generateTypeScript } from './sourceGenerator';
import { rounded, summarize, type Summary } from './stats';

export interface CodeHighlightOptions {
  root: string;
  /** Git revision whose src/webview/chat/ is the "before" build. */
  baseline: string;
  /** Measured blocks per size and build. */
  runs: number;
  seed: number;
  log: (line: string) => void;
}

interface VariantResult {
  /** Per block: the longest task of the post-answer work (ms). */
  longestTaskMs: Summary;
  /** Per block: of its longest task, the forced style and layout at the end (ms). */
  longestTaskLayoutMs: Summary;
  /** Per block: idle callbacks it took. */
  callbacks: Summary;
  /** Per block: all its tasks together (ms). */
  totalMs: Summary;
}

export interface CodeHighlightReport {
  method: string;
  baseline: string;
  blocks: { targetChars: number; chars: number; before: VariantResult; after: VariantResult }[];
  /** A restored answer with RESTORE_BLOCKS long blocks: the task that draws it, and the idle work after. */
  restore: { blocks: number; chars: number; before: RestoreResult; after: RestoreResult };
  checks: Check[];
}

interface RestoreResult {
  /** The task that draws the restored answer (construct, insert, style and layout), ms. */
  drawMs: Summary;
  /** The longest task, drawing included, until no idle work is left, ms. */
  longestTaskMs: Summary;
  callbacks: Summary;
}

/** A restored answer: this many blocks of about RESTORE_BLOCK_CHARS, between paragraphs. */
const RESTORE_BLOCKS = 4;
const RESTORE_BLOCK_CHARS = 5_000;

/** Block sizes: the smallest just over the 1,000 characters highlighted whole as they stream. */
const TARGET_CHARS = [1_100, 5_000, 20_000];
const WARMUP_RUNS = 3;

const ENTRY = `
import { StreamingMarkdown } from './src/webview/chat/streamingMarkdown';
Object.assign(window, { StreamingMarkdown });
`;

interface PageRun {
  tasks: number[];
  /** Of each task, the style and layout forced at its end. */
  layouts: number[];
  textLength: number;
}

/** Runs in the page before the bundle: every idle callback timed, with the layout it causes. */
function instrument(): void {
  const real = window.requestIdleCallback.bind(window);
  const measure = { outstanding: 0, tasks: [] as number[], layouts: [] as number[], settled: undefined as (() => void) | undefined };
  window.requestIdleCallback = (callback, options) => {
    measure.outstanding++;
    return real((deadline) => {
      const started = performance.now();
      let laidOut = started;
      try {
        callback(deadline);
        laidOut = performance.now();
        void document.body.offsetHeight;
      } finally {
        const ended = performance.now();
        measure.tasks.push(ended - started);
        measure.layouts.push(ended - laidOut);
        measure.outstanding--;
        if (measure.outstanding === 0) measure.settled?.();
      }
    }, options);
  };
  Object.assign(window, { __measure: measure });
}

/** In the page: streams one fenced block (64 characters a render), ends the answer, and waits for the idle work. */
async function streamAndSettle(text: string): Promise<PageRun> {
  type Measure = { outstanding: number; tasks: number[]; layouts: number[]; settled: (() => void) | undefined };
  type Streaming = { element: HTMLElement; append(text: string): void; render(): boolean; finish(): void };
  const { StreamingMarkdown, __measure: measure } = window as unknown as { StreamingMarkdown: new () => Streaming; __measure: Measure };
  measure.tasks = [];
  measure.layouts = [];
  const streaming = new StreamingMarkdown();
  document.body.replaceChildren(streaming.element);
  for (let offset = 0; offset < text.length; offset += 64) {
    streaming.append(text.slice(offset, offset + 64));
    streaming.render();
  }
  // Drawn once before the answer ends, as the streamed block would have been.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  streaming.finish();
  if (measure.outstanding > 0) await new Promise<void>((resolve) => (measure.settled = resolve));
  measure.settled = undefined;
  return { tasks: measure.tasks, layouts: measure.layouts, textLength: streaming.element.querySelector('pre code')?.textContent?.length ?? 0 };
}

/** In the page: draws `text` at once as a restored answer is (StreamingMarkdown with its text), then waits for the idle work. */
async function restoreAndSettle(text: string): Promise<PageRun & { drawMs: number }> {
  type Measure = { outstanding: number; tasks: number[]; layouts: number[]; settled: (() => void) | undefined };
  type Restored = { element: HTMLElement };
  const { StreamingMarkdown, __measure: measure } = window as unknown as { StreamingMarkdown: new (text: string) => Restored; __measure: Measure };
  measure.tasks = [];
  measure.layouts = [];
  document.body.replaceChildren();
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const started = performance.now();
  const restored = new StreamingMarkdown(text);
  document.body.append(restored.element);
  void document.body.offsetHeight;
  const drawMs = performance.now() - started;
  if (measure.outstanding > 0) await new Promise<void>((resolve) => (measure.settled = resolve));
  measure.settled = undefined;
  return { tasks: measure.tasks, layouts: measure.layouts, textLength: restored.element.querySelectorAll('pre code').length, drawMs };
}

/** src/webview/chat/ as it was at `revision`; everything else as in the working tree. */
function chatFilesAt(root: string, revision: string): Plugin {
  return {
    name: 'chat-at-revision',
    setup(builder) {
      builder.onLoad({ filter: /[\\/]src[\\/]webview[\\/]chat[\\/][^\\/]+\.ts$/ }, (args) => {
        const relative = path.relative(root, args.path).split(path.sep).join('/');
        const contents = execFileSync('git', ['show', `${revision}:${relative}`], { cwd: root, encoding: 'utf8' });
        return { contents, loader: 'ts', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

async function bundle(root: string, baseline: string | undefined): Promise<string> {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'error',
    plugins: baseline ? [chatFilesAt(root, baseline)] : [],
  });
  return result.outputFiles[0]?.text ?? '';
}

/** A TypeScript block of at most `target` characters, cut at a line end. */
function codeBlock(seed: number, target: number): string {
  const lines = generateTypeScript(seed, Math.ceil(target / 20)).split('\n');
  let code = '';
  for (const line of lines) {
    if (code.length + line.length + 1 > target) break;
    code += `${line}\n`;
  }
  return code.trimEnd();
}

export async function runCodeHighlightBench(options: CodeHighlightOptions): Promise<CodeHighlightReport> {
  const baseline = execFileSync('git', ['rev-parse', '--short', options.baseline], { cwd: options.root, encoding: 'utf8' }).trim();
  options.log(`code highlight: bundling this build and ${baseline}`);
  const [afterScript, beforeScript, style] = await Promise.all([
    bundle(options.root, undefined),
    bundle(options.root, baseline),
    readFile(path.join(options.root, 'media/chat.css'), 'utf8'),
  ]);
  const browser = await launchTestChromium();
  try {
    const open = async (script: string) => {
      const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
      await page.setContent('<!doctype html><html><head><script>var __name = (fn) => fn;</script></head><body></body></html>');
      await page.addStyleTag({ content: style });
      await page.evaluate(instrument);
      await page.addScriptTag({ content: script });
      return page;
    };
    const pages = { before: await open(beforeScript), after: await open(afterScript) };
    const blocks: CodeHighlightReport['blocks'] = [];
    for (const target of TARGET_CHARS) {
      const code = codeBlock(options.seed + target, target);
      const text = `Here:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nThat is all.\n`;
      const samples = { before: [] as PageRun[], after: [] as PageRun[] };
      for (let run = 0; run < WARMUP_RUNS + options.runs; run++) {
        // Alternate which build goes first, so neither always runs on a warmer machine.
        const order = run % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
        for (const variant of order) {
          const result = await pages[variant].evaluate(streamAndSettle, text);
          if (result.textLength !== code.length) throw new Error(`${variant}: ${result.textLength} characters on screen, not ${code.length}`);
          if (run >= WARMUP_RUNS) samples[variant].push(result);
        }
      }
      const summary = (runs: PageRun[]): VariantResult => ({
        longestTaskMs: rounded(summarize(runs.map((r) => Math.max(0, ...r.tasks))), 2),
        longestTaskLayoutMs: rounded(summarize(runs.map((r) => r.layouts[r.tasks.indexOf(Math.max(...r.tasks))] ?? 0)), 2),
        callbacks: rounded(summarize(runs.map((r) => r.tasks.length)), 1),
        totalMs: rounded(summarize(runs.map((r) => r.tasks.reduce((sum, task) => sum + task, 0))), 2),
      });
      blocks.push({ targetChars: target, chars: code.length, before: summary(samples.before), after: summary(samples.after) });
      options.log(`code highlight: ${code.length} characters done`);
    }
    const restoreCode = Array.from({ length: RESTORE_BLOCKS }, (_, i) => codeBlock(options.seed + i, RESTORE_BLOCK_CHARS));
    const restoreText = restoreCode.map((code, i) => `Part ${i + 1}:\n\n\`\`\`ts\n${code}\n\`\`\`\n\n`).join('') + 'That is all.\n';
    const restoreSamples = { before: [] as Array<PageRun & { drawMs: number }>, after: [] as Array<PageRun & { drawMs: number }> };
    for (let run = 0; run < WARMUP_RUNS + options.runs; run++) {
      const order = run % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
      for (const variant of order) {
        const result = await pages[variant].evaluate(restoreAndSettle, restoreText);
        if (result.textLength !== RESTORE_BLOCKS) throw new Error(`${variant}: ${result.textLength} code blocks on screen, not ${RESTORE_BLOCKS}`);
        if (run >= WARMUP_RUNS) restoreSamples[variant].push(result);
      }
    }
    const restoreSummary = (runs: Array<PageRun & { drawMs: number }>): RestoreResult => ({
      drawMs: rounded(summarize(runs.map((r) => r.drawMs)), 2),
      longestTaskMs: rounded(summarize(runs.map((r) => Math.max(r.drawMs, ...r.tasks))), 2),
      callbacks: rounded(summarize(runs.map((r) => r.tasks.length)), 1),
    });
    const restore = {
      blocks: RESTORE_BLOCKS,
      chars: restoreCode.reduce((sum, code) => sum + code.length, 0),
      before: restoreSummary(restoreSamples.before),
      after: restoreSummary(restoreSamples.after),
    };
    options.log('code highlight: restore done');
    return {
      method:
        `A fenced TypeScript block (generated) streamed into StreamingMarkdown 64 characters a render, drawn once, then the answer ended; ` +
        `each idle callback timed with the style and layout it causes (forced at its end) until none is left. ` +
        `"before" is src/webview/chat/ at ${baseline}, "after" this working tree; ${options.runs} blocks per size and build after ${WARMUP_RUNS} unmeasured, ` +
        `the two builds interleaved block by block in one headless Chromium. ` +
        `Restore: an answer of ${RESTORE_BLOCKS} such blocks of about ${RESTORE_BLOCK_CHARS} characters drawn at once (new StreamingMarkdown(text), inserted, layout forced) as a restored conversation is, ` +
        `then its idle callbacks timed the same way.`,
      baseline,
      blocks,
      restore,
      checks: [
        ...blocks.map((block) => ({
          name: `code highlight ${block.chars} chars: longest post-answer task p99 under 50 ms`,
          pass: block.after.longestTaskMs.p99 < 50,
          detail: `${block.after.longestTaskMs.p99} ms (before: ${block.before.longestTaskMs.p99} ms)`,
        })),
        {
          name: `code highlight restore of ${RESTORE_BLOCKS} blocks (${restore.chars} chars): longest task p99 under 50 ms`,
          pass: restore.after.longestTaskMs.p99 < 50,
          detail: `${restore.after.longestTaskMs.p99} ms (before: ${restore.before.longestTaskMs.p99} ms)`,
        },
      ],
    };
  } finally {
    await browser.close();
  }
}

export function printCodeHighlight(report: CodeHighlightReport): string {
  const rows = report.blocks.flatMap((block) =>
    (['before', 'after'] as const).map((variant) => {
      const result = block[variant];
      return [
        `${block.chars} chars, ${variant === 'before' ? `before (${report.baseline})` : 'after'}`,
        result.longestTaskMs.median.toFixed(2),
        result.longestTaskMs.p99.toFixed(2),
        `${result.longestTaskLayoutMs.median.toFixed(2)} / ${result.longestTaskLayoutMs.max.toFixed(2)}`,
        String(result.callbacks.median),
        result.totalMs.median.toFixed(2),
        String(result.longestTaskMs.n),
      ];
    }),
  );
  const { restore } = report;
  const restoreRows = (['before', 'after'] as const).map((variant) => {
    const result = restore[variant];
    return [
      variant === 'before' ? `before (${report.baseline})` : 'after',
      `${result.drawMs.median.toFixed(2)} / ${result.drawMs.p99.toFixed(2)}`,
      `${result.longestTaskMs.median.toFixed(2)} / ${result.longestTaskMs.p99.toFixed(2)}`,
      String(result.callbacks.median),
      String(result.drawMs.n),
    ];
  });
  return [
    '\n== Code highlighting after an answer (longest task: one idle callback with its layout) ==',
    table(['block', 'longest median ms', 'longest p99 ms', 'its layout median / max ms', 'callbacks', 'all tasks ms', 'n'], rows),
    `\n== Restoring an answer with ${restore.blocks} long code blocks (${restore.chars} characters of code) ==`,
    table(['build', 'drawing task median / p99 ms', 'longest task median / p99 ms', 'idle callbacks', 'n'], restoreRows),
  ].join('\n');
}
