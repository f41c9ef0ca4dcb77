/**
 * The engine's test bench, shared by its test files: a fake router whose requests the test answers, timers the
 * test fires or records, and an engine set up with the settings a test names.
 */
import assert from 'node:assert/strict';
import {
  DEFAULT_COMPLETION_SETTINGS,
  type CompletionEngineDeps,
  type CompletionInput,
  type CompletionRequestMeta,
  type CompletionSettings,
} from '../../../src/core/completion/completionContract';
import { CompletionEngine } from '../../../src/core/completion/completionEngine';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { ModelRequest } from '../../../src/core/types';

/** One request as the router would see it; the test decides what the model streams and when it ends. */
export interface ModelCall {
  request: ModelRequest;
  signal: AbortSignal;
  meta: CompletionRequestMeta;
  stream(text: string): void;
  finish(text?: string): void;
  fail(error: unknown): void;
}

/** Stands in for the router: the engine's `request` dependency, with requests answered by the test. */
function fakeRouter(): { calls: ModelCall[]; request: CompletionEngineDeps['request']; nextCall(): Promise<ModelCall> } {
  const calls: ModelCall[] = [];
  let waiting: Array<(call: ModelCall) => void> = [];
  const request: CompletionEngineDeps['request'] = (modelRequest, signal, onText, meta) =>
    new Promise((resolve, reject) => {
      let text = '';
      const call: ModelCall = {
        request: modelRequest,
        signal,
        meta,
        stream(chunk) {
          text += chunk;
          onText(chunk);
        },
        finish(chunk = '') {
          if (chunk) call.stream(chunk);
          resolve({ text });
        },
        fail: reject,
      };
      signal.addEventListener('abort', () => reject(new ProviderError('cancelled', 'fake', 'The request was aborted.')), { once: true });
      calls.push(call);
      const told = waiting;
      waiting = [];
      for (const tell of told) tell(call);
    });
  // The next request made from now on: waited on instead of time passing.
  const nextCall = (): Promise<ModelCall> => new Promise((resolve) => waiting.push(resolve));
  return { calls, request, nextCall };
}

/** A debounce timer the test fires by hand. */
export function manualTimer(): { sleep: NonNullable<CompletionEngineDeps['sleep']>; fire(): void; readonly waiting: number } {
  let waiters: Array<(done: boolean) => void> = [];
  return {
    sleep: (_ms, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve(false);
        signal.addEventListener('abort', () => resolve(false), { once: true });
        waiters.push(resolve);
      }),
    fire() {
      const due = waiters;
      waiters = [];
      for (const resolve of due) resolve(true);
    },
    get waiting() {
      return waiters.length;
    },
  };
}

export const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const uri = 'file:///ws/src/cart.ts';
export const prefix = 'function total(cart) {\n  return ';
const suffix = '\n}\n';

export function at(prefixText = prefix, suffixText = suffix, documentUri = uri): CompletionInput {
  return { uri: documentUri, languageId: 'typescript', relativePath: 'src/cart.ts', prefix: prefixText, suffix: suffixText };
}

export function setup(overrides: Partial<CompletionSettings> = {}, extra: Partial<CompletionEngineDeps> = {}) {
  const router = fakeRouter();
  const served: string[] = [];
  const errors: unknown[] = [];
  const settings: CompletionSettings = { ...DEFAULT_COMPLETION_SETTINGS, debounceMs: 0, modelKey: 'openai:gpt-4.1-mini', ...overrides };
  const engine = new CompletionEngine({
    request: router.request,
    settings: () => settings,
    onServedWithoutRequest: (source) => served.push(source),
    onError: (error) => errors.push(error),
    ...extra,
  });
  return { engine, calls: router.calls, nextCall: router.nextCall, served, errors };
}

export function firstCall(calls: ModelCall[]): ModelCall {
  const call = calls[0];
  assert.ok(call, 'a request was made');
  return call;
}

/**
 * A sleep that records how long each call was asked to wait and lets it pass at once.
 * Tests that compare the waits also stop the clock (`now: () => 0`): the engine waits the
 * debounce less the time already spent, which a busy machine makes 149 ms instead of 150.
 */
export function recordingSleep(): { sleep: NonNullable<CompletionEngineDeps['sleep']>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms, signal) => {
      waits.push(ms);
      return Promise.resolve(!signal.aborted);
    },
  };
}
