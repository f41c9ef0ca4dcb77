import assert from 'node:assert/strict';
import type { TraceEvent } from '../../bench/mainThreadTrace';
import { rendererWork } from '../../bench/rendererWork';

// Hand-built events in the shape Chromium writes them (devtools.timeline and toplevel categories):
// microseconds, `tdur` the thread's CPU time, names as `M` metadata, work nested inside tasks.
const RENDERER = 700;
const MAIN = 700;
const COMPOSITOR = 711;
const GPU = 800;
const T0 = 5_000_000_000;
const PANEL = 'https://x.vscode-resource.vscode-cdn.net/ext/dist/webview/chat.js';

const metadata: TraceEvent[] = [
  { name: 'process_name', ph: 'M', pid: RENDERER, tid: 0, ts: 0, args: { name: 'Renderer' } },
  { name: 'process_name', ph: 'M', pid: GPU, tid: 0, ts: 0, args: { name: 'GPU Process' } },
  { name: 'thread_name', ph: 'M', pid: RENDERER, tid: MAIN, ts: 0, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', ph: 'M', pid: RENDERER, tid: COMPOSITOR, ts: 0, args: { name: 'Compositor' } },
  { name: 'thread_name', ph: 'M', pid: GPU, tid: GPU, ts: 0, args: { name: 'VizCompositorThread' } },
];

function slice(name: string, atUs: number, durUs: number, cpuUs: number, extra: Partial<TraceEvent> = {}): TraceEvent {
  return { name, ph: 'X', pid: RENDERER, tid: MAIN, ts: T0 + atUs, dur: durUs, tts: atUs, tdur: cpuUs, ...extra };
}

describe('bench: renderer work by thread, kind and second from a Chromium trace', () => {
  it('counts each slice once, as its own time minus what nests inside it, and names the kinds', () => {
    const work = rendererWork(
      [
        ...metadata,
        // A 10 ms task: the panel's message handler (3 ms, 1 ms of it GC) inside a postMessage dispatch (4 ms).
        slice('ThreadControllerImpl::RunTask', 0, 10_000, 10_000),
        slice('HandlePostMessage', 100, 4_000, 4_000),
        slice('FunctionCall', 200, 3_000, 3_000, { args: { data: { url: PANEL } } }),
        slice('MinorGC', 300, 1_000, 1_000),
        // Then the frame: style 1 ms, layout 2 ms, paint 0.5 ms; the workbench's script 1 ms.
        slice('UpdateLayoutTree', 5_000, 1_000, 1_000),
        slice('Layout', 6_000, 2_000, 2_000, { args: { beginData: { frame: 'F2' } } }),
        slice('Paint', 8_000, 500, 500, { args: { data: { frame: 'F1' } } }),
        { name: 'TracingStartedInBrowser', ph: 'I', pid: 1, tid: 1, ts: T0, args: { data: { frames: [{ frame: 'F1', url: 'http://localhost:8080/?folder=x' }] } } },
        {
          name: 'FrameCommittedInBrowser',
          ph: 'I',
          pid: 1,
          tid: 1,
          ts: T0 + 1,
          args: { data: { frame: 'F2', url: 'http://localhost:8080/stable-1/static/out/vs/workbench/contrib/webview/browser/pre/fake.html?id=1' } },
        },
        slice('FunctionCall', 8_600, 1_000, 1_000, { args: { data: { url: 'http://localhost/static/out/vs/code/browser/workbench/workbench.js' } } }),
        // A second later, on the compositor thread: a frame drawn, 2 ms.
        slice('ThreadControllerImpl::RunTask', 1_200_000, 2_000, 2_000, { tid: COMPOSITOR }),
        slice('DrawFrame', 1_200_000, 2_000, 2_000, { tid: COMPOSITOR }),
        // Main-thread frames: two in the first second, one in the second.
        { name: 'BeginMainThreadFrame', ph: 'I', pid: RENDERER, tid: MAIN, ts: T0 + 4_900, s: 't' },
        { name: 'BeginMainThreadFrame', ph: 'I', pid: RENDERER, tid: MAIN, ts: T0 + 500_000, s: 't' },
        { name: 'BeginMainThreadFrame', ph: 'I', pid: RENDERER, tid: MAIN, ts: T0 + 1_100_000, s: 't' },
        // Another process's work is not the renderer's.
        slice('ThreadControllerImpl::RunTask', 0, 50_000, 50_000, { pid: GPU, tid: GPU }),
      ],
      PANEL,
    );
    assert.equal(work.seconds, 2);
    assert.deepEqual(work.threads, [
      { thread: `renderer ${RENDERER}/CrRendererMain`, cpuMs: 10 },
      { thread: `renderer ${RENDERER}/Compositor`, cpuMs: 2 },
    ]);
    const kind = (name: string) => work.kinds.find((entry) => entry.kind === name);
    assert.deepEqual(kind('script (Switchboard panel)'), { kind: 'script (Switchboard panel)', cpuMs: 2, perSecondMs: [2, 0] });
    assert.equal(kind('GC')?.cpuMs, 1);
    assert.equal(kind('message dispatch')?.cpuMs, 1);
    assert.equal(kind('style')?.cpuMs, 1);
    assert.equal(kind('layout')?.cpuMs, 2);
    assert.equal(kind('paint')?.cpuMs, 0.5);
    assert.equal(kind('script (workbench)')?.cpuMs, 1);
    assert.deepEqual(kind('composite'), { kind: 'composite', cpuMs: 2, perSecondMs: [0, 2] });
    // The task's own time, outside anything named: 10 ms minus the 8.5 ms named inside it.
    assert.equal(kind('other traced')?.cpuMs, 1.5);
    // Every traced millisecond of the two threads, once.
    const total = work.kinds.reduce((sum, entry) => sum + entry.cpuMs, 0);
    assert.equal(total, 10 + 2);
    assert.deepEqual(work.documents, [
      { document: 'panel', layoutMs: 2, paintMs: 0, layoutPerSecondMs: [2, 0] },
      { document: 'workbench', layoutMs: 0, paintMs: 0.5, layoutPerSecondMs: [0, 0] },
    ]);
    assert.deepEqual(work.frames, [{ process: `renderer ${RENDERER}`, mainFrames: 3, drawnFrames: 1, mainFramesPerSecond: [2, 1] }]);
  });

  it('tells the panel from VS Code’s webview host pages by script URL', () => {
    const host = 'http://localhost/stable-1/static/out/vs/workbench/contrib/webview/browser/pre/index.html?id=1';
    const work = rendererWork(
      [...metadata, slice('FunctionCall', 0, 1_000, 1_000, { args: { data: { url: host } } }), slice('FunctionCall', 2_000, 1_000, 1_000, { args: { data: { url: '' } } })],
      PANEL,
    );
    assert.equal(work.kinds.find((entry) => entry.kind === 'script (VS Code webview host)')?.cpuMs, 1);
    assert.equal(work.kinds.find((entry) => entry.kind === 'script (other)')?.cpuMs, 1);
    assert.equal(work.kinds.find((entry) => entry.kind === 'script (Switchboard panel)')?.cpuMs, 0);
  });
});
