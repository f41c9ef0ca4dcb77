import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EDITOR_TRACES } from '../../bench/editorTypingReport';
import { traceStates, type Trace } from '../../bench/traceModel';

const ROOT = path.resolve(__dirname, '../..');

// Every committed typing trace is made again, byte for byte, by its generator with the seed and shape flags it
// records: a trace nobody can remake (or one edited by hand to suit a result) fails here.
describe('typing traces are reproducible from their generator', () => {
  const traces = ['bench/typing-trace.json', ...Object.values(EDITOR_TRACES)];
  let temp: string;
  before(() => {
    temp = mkdtempSync(path.join(tmpdir(), 'typing-traces-'));
  });
  after(() => rmSync(temp, { recursive: true, force: true }));

  for (const file of traces) {
    it(`${file} regenerates from its recorded seed and arguments`, () => {
      const committed = readFileSync(path.join(ROOT, file), 'utf8');
      const trace = JSON.parse(committed) as Trace & { generator: string; seed: number; arguments?: string };
      const out = path.join(temp, path.basename(file));
      const shape = trace.arguments ? trace.arguments.split(' ') : [];
      execFileSync(process.execPath, [path.join(ROOT, trace.generator), '--seed', String(trace.seed), ...shape, '--out', out], { stdio: 'pipe' });
      assert.equal(readFileSync(out, 'utf8'), committed);
    });
  }

  it('the topdown trace writes a new file from its first line to its last: it starts empty and never moves back', () => {
    const trace = JSON.parse(readFileSync(path.join(ROOT, EDITOR_TRACES.topdown), 'utf8')) as Trace;
    assert.equal(trace.file, '');
    const states = traceStates(trace);
    trace.events.forEach((event, index) => {
      const cursorBefore = index === 0 ? 0 : states[index - 1]!.cursor;
      const at = event.type === 'insert' ? event.offset : event.offset + 1;
      assert.equal(at, cursorBefore, `keystroke ${index} is where the previous one left the cursor`);
    });
    assert.ok(trace.events.length >= 550 && trace.events.length <= 700, `${trace.events.length} keystrokes`);
  });
});
