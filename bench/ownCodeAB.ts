/**
 * Our own code per inline completion, this tree against another checkout of the project, in ONE process and
 * interleaved position by position (A B, then B A, …), so both see the same machine load. A shared machine makes
 * two separate `npm run bench -- overhead` runs minutes apart incomparable; this makes them comparable.
 *
 *   npx tsx bench/ownCodeAB.ts --baseline /path/to/other/checkout [--positions 400] [--rounds 5] [--seed 7] [--alloc]
 *     [--input ts5000|minified|urls|runs --at start|middle|end [--reread]]
 *
 * Each tree's own modules (src/core/completion, the router, the OpenAI adapter's body) are imported from its
 * own directory; the document, the cursor positions and the editor window come from this tree's bench helpers,
 * so both trees see byte-identical inputs. Steps are those of the overhead section's own-code timing
 * (completionOverhead.ts), split finer inside the engine's stage before the request. Also prints, per tree, a
 * SHA-256 over every request body and post-processed answer: equal hashes say the two trees complete alike.
 * With --alloc, also the bytes each tree allocates per completion and where (one tree at a time).
 * With --input, the completions are on a large or hostile document (hostileInputs.ts) near `--at`; with --reread,
 * that text is also open in another editor whose version changes before every completion, so the snippet collector
 * reads (and redacts) it on every completion.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SnippetDocument } from '../src/core/completion/contextSnippets';
import { BenchDocument, editorWindow } from './benchDocument';
import { noteOpenDocuments, pickCases, type Case } from './benchCases';
import { casesAt, CURSOR_PLACES, HOSTILE_INPUTS, hostileText, type CursorPlace, type HostileInput } from './hostileInputs';
import { generateTypeScript } from './sourceGenerator';
import { rounded, summarize } from './stats';


const STEPS = ['editorWindow', 'cacheKey', 'cursorIn', 'shape', 'snippets', 'prompt', 'requestBody', 'router', 'postprocess'] as const;
type Step = (typeof STEPS)[number];

function option(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
}


/** One tree's steps, each a function of the case, bound to that tree's modules. */
async function loadTree(root: string, main: BenchDocument, openDocuments: BenchDocument[], otherEditors: SnippetDocument[]) {
  const load = (file: string) => import(pathToFileURL(path.join(root, file)).href);
  const [cacheModule, promptModule, snippetsModule, multilineModule, postprocessModule, routedModule, stringModule, windowModule, openaiModule, routerModule, spendModule, stackModule] =
    await Promise.all([
      load('src/core/completion/completionCache.ts'),
      load('src/core/completion/completionPrompt.ts'),
      load('src/core/completion/contextSnippets.ts'),
      load('src/core/completion/multiline.ts'),
      load('src/core/completion/postprocess.ts'),
      load('src/core/completion/routedCompletions.ts'),
      load('src/core/completion/stringAtCursor.ts'),
      load('src/core/completion/textWindow.ts'),
      load('src/core/providers/openai.ts'),
      load('src/core/router.ts'),
      load('src/core/spendTracker.ts'),
      load('bench/benchSwitchboard.ts'),
    ]);
  const stack = await stackModule.startBenchStack({ replyDefaults: { firstByteDelayMs: 0, chunkDelayMs: 0, chunks: 1 }, debounceMs: 0 });
  const switchboard = stack.switchboard;
  const snippets = new snippetsModule.SnippetCollector();
  noteOpenDocuments(snippets, [main, ...openDocuments]);
  for (const editor of otherEditors) snippets.noteOpenDocument(editor);
  const settings = routedModule.completionSettingsFor(switchboard.currentConfig, switchboard);
  const budgets = settings.budgets ?? promptModule.DEFAULT_PROMPT_BUDGETS;
  const { prefixChars, suffixChars } = switchboard.currentConfig.completion;
  let answer = '';
  const adapter = {
    id: 'openai',
    kind: 'openai',
    async *stream() {
      yield { type: 'text', text: answer };
      yield { type: 'usage', usage: { inputTokens: 900, outputTokens: 12, cacheReadTokens: 0, cacheWriteTokens: 0 } };
    },
  };
  const router = new routerModule.Router({
    registry: { status: () => ({ id: 'openai', kind: 'openai', usable: true }), adapter: async () => adapter, dialledHost: () => '127.0.0.1' },
    prices: () => switchboard.priceTable,
    config: () => switchboard.currentConfig,
    ledger: () => switchboard.ledger,
    spend: new spendModule.SpendTracker(),
    source: 'bench',
  });

  const run = async (item: Case, lap: (step: Step) => void): Promise<string> => {
    answer = item.answer;
    const window = editorWindow(item.document, item.position, prefixChars, suffixChars)!;
    lap('editorWindow');
    const input = { uri: item.document.uri, languageId: item.document.languageId, relativePath: item.document.relativePath, ...window, line: item.position.line };
    cacheModule.completionCacheKey({ languageId: input.languageId, variant: `${settings.modelKey}\u0000${settings.multiline}`, prefix: input.prefix, suffix: input.suffix });
    multilineModule.isCompletablePosition(windowModule.lineSuffixOf(input.suffix));
    lap('cacheKey');
    const cursor = stringModule.cursorIn(input.prefix, input.suffix, input.languageId, 12);
    lap('cursorIn');
    // As the engine: the place (for speculation), the request's shape, and whether the statement is finished.
    multilineModule.endsFinishedLine(cursor, input.languageId);
    const multiline = multilineModule.decideMultiline(cursor, input.languageId, settings.multiline);
    if (!multiline) multilineModule.endsStatement(cursor);
    lap('shape');
    const found = snippets.topSnippets([...cursor.previousLines, cursor.linePrefix + cursor.lineSuffix, ...cursor.nextLines].join('\n'), input.uri, budgets.snippetChars, {
      languageId: input.languageId,
      line: item.position.line,
    });
    lap('snippets');
    const request = promptModule.buildCompletionRequest({ ...input, snippets: found }, budgets, {
      fim: settings.fim,
      multiline,
      maxTokens: multiline ? settings.maxTokens.multiLine : settings.maxTokens.singleLine,
      ...(settings.temperature !== undefined && { temperature: settings.temperature }),
    });
    lap('prompt');
    const body = openaiModule.chatRequestBody('gpt-5.4-nano', request, false);
    lap('requestBody');
    const result = await router.run('completion', request);
    lap('router');
    const shown = postprocessModule.postprocessCompletion(result.text, { prefix: input.prefix, suffix: input.suffix, multiline, languageId: input.languageId, fim: settings.fim });
    lap('postprocess');
    return JSON.stringify(body) + '\u0000' + JSON.stringify(shown ?? null);
  };
  return { run, close: () => stack.close() as Promise<void> };
}

async function main(): Promise<void> {
  const baseline = option('baseline');
  if (!baseline) throw new Error('--baseline DIR is required: another checkout of this project (with node_modules) to compare with');
  const positions = Number(option('positions', '400'));
  const rounds = Number(option('rounds', '5'));
  const seed = Number(option('seed', '7'));
  const input = option('input') as HostileInput | undefined;
  const at = option('at', 'middle') as CursorPlace;
  if (input !== undefined && !HOSTILE_INPUTS.includes(input)) throw new Error(`--input must be one of ${HOSTILE_INPUTS.join(', ')}`);
  if (!CURSOR_PLACES.includes(at)) throw new Error(`--at must be one of ${CURSOR_PLACES.join(', ')}`);
  const hostile = input === undefined ? undefined : hostileText(input, seed);
  const mainDocument = hostile
    ? BenchDocument.fromText(`file:///workspace/src/hostile.${hostile.extension}`, `src/hostile.${hostile.extension}`, hostile.languageId, hostile.text)
    : BenchDocument.fromText('file:///workspace/src/orders/orderPipeline.ts', 'src/orders/orderPipeline.ts', 'typescript', generateTypeScript(seed, 2000));
  const openDocuments = [1, 2, 3].map((n) =>
    BenchDocument.fromText(`file:///workspace/src/orders/related${n}.ts`, `src/orders/related${n}.ts`, 'typescript', generateTypeScript(seed + n, 600)),
  );
  const cases = hostile ? casesAt(mainDocument, at, positions) : pickCases(mainDocument, positions, seed);
  // The hostile text open in a second editor, edited before every completion (--reread).
  let otherVersion = 0;
  const otherEditors: SnippetDocument[] =
    hostile && process.argv.includes('--reread')
      ? [{ uri: `file:///workspace/src/copy.${hostile.extension}`, relativePath: `src/copy.${hostile.extension}`, languageId: hostile.languageId, version: () => otherVersion, getText: () => hostile.text }]
      : [];
  const trees = [
    { name: 'this tree', tree: await loadTree(path.resolve(__dirname, '..'), mainDocument, openDocuments, otherEditors) },
    { name: `baseline ${baseline}`, tree: await loadTree(path.resolve(baseline), mainDocument, openDocuments, otherEditors) },
  ];
  const times = trees.map(() => ({ total: [] as number[], ...Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) }) as Record<Step | 'total', number[]>);
  const hashes = trees.map(() => createHash('sha256'));
  const load = (await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ');
  for (let round = -1; round < rounds; round++) {
    for (let index = 0; index < cases.length; index++) {
      const item = cases[index] as Case;
      // Alternate which tree goes first, so neither always follows the other's garbage.
      const order = (index + Math.max(round, 0)) % 2 === 0 ? [0, 1] : [1, 0];
      for (const which of order) {
        const record = round >= 0;
        const sample = times[which]!;
        let t = performance.now();
        const start = t;
        otherVersion++;
        const output = await trees[which]!.tree.run(item, (step) => {
          const now = performance.now();
          if (record) sample[step].push(now - t);
          t = now;
        });
        if (record) sample.total.push(t - start);
        if (round === 0) hashes[which]!.update(output);
      }
    }
  }
  const endLoad = (await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ');
  if (hostile) console.log(`--input ${input} (${mainDocument.lineCount} lines, ${hostile.text.length} characters) --at ${at}${otherEditors.length ? ' --reread' : ''}`);
  console.log(`${cases.length} positions × ${rounds} rounds, interleaved; load average at start ${load}, at end ${endLoad}; ms`);
  const header = ['step', ...trees.flatMap((t) => [`${t.name} median`, 'p99'])];
  const rows = (['total', ...STEPS] as const).map((step) => [
    step,
    ...times.flatMap((sample) => {
      const s = rounded(summarize(sample[step]), 4);
      return [String(s.median), String(s.p99)];
    }),
  ]);
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(14) : cell.padStart(i === 1 || i === 3 ? 10 : 8))).join(' '));
  const digests = hashes.map((h) => h.digest('hex'));
  console.log(`outputs (request bodies + post-processed answers): ${digests.map((d, i) => `${trees[i]!.name} ${d.slice(0, 16)}`).join(', ')}; ${digests[0] === digests[1] ? 'IDENTICAL' : 'DIFFERENT'}`);
  if (process.argv.includes('--alloc')) {
    for (const [index, { name, tree }] of trees.entries()) {
      const { bytes, top } = await allocationsOf(cases, (item) => tree.run(item, () => {}));
      console.log(`${name}: ${(bytes / cases.length / 1024).toFixed(1)} KiB allocated per completion (sampled, collected or not); most by`);
      for (const [where, size] of top) console.log(`  ${(size / cases.length / 1024).toFixed(1).padStart(7)} KiB  ${where}`);
      if (index === 0) console.log('');
    }
  }
  for (const { tree } of trees) await tree.close();
}

/**
 * Bytes allocated while `run` goes over every case, from V8's sampling heap profiler with collected objects kept
 * in the profile (a count, so the machine's load does not change it), and the functions that allocated most.
 */
async function allocationsOf(cases: readonly Case[], run: (item: Case) => Promise<unknown>): Promise<{ bytes: number; top: Array<[string, number]> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  try {
    for (const item of cases.slice(0, 20)) await run(item);
    await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    for (const item of cases) await run(item);
    const { profile } = await session.post('HeapProfiler.stopSampling');
    const bySite = new Map<string, number>();
    let bytes = 0;
    type Node = { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: Node[] };
    const visit = (node: Node) => {
      bytes += node.selfSize;
      if (node.selfSize > 0) {
        const where = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-2).join('/')}`;
        bySite.set(where, (bySite.get(where) ?? 0) + node.selfSize);
      }
      for (const child of node.children) visit(child);
    };
    visit(profile.head as unknown as Node);
    return { bytes, top: [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 12) };
  } finally {
    session.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  // The fake servers of a tree already started would keep the process (and the heavy-run lock) alive.
  process.exit(1);
});
