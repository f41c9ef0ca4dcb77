/**
 * The set-up most scenario describes share: fake providers of their own, a workbench pointed at them and, unless
 * told otherwise, Switchboard ready in the status bar; after each failed test a screenshot and the extension's
 * logs, after the last the workbench and the fakes closed.
 *
 * Call `useWorkbenchOnFakes(options)` inside a describe: it registers that describe's hooks, which set the bindings
 * below. They are live bindings (`export let`), so a test reads them as plain names (`fakes.openai`, `page`) once
 * the describe's `before` has run; scenario describes run one after another, so each sees its own.
 */
import type { Page } from 'playwright-core';
import { startFakeProviders, type FakeProviders } from '../../fakes';
import { fakeProviderSetup } from './fakeProviders';
import { waitForSwitchboardReady } from './statusBar';
import { captureFailuresAndCloseAfterSuite, openWorkbench, openWorkbenchOnFakes, type OpenWorkbenchOptions, type Workbench } from './workbench';

export let fakes: FakeProviders;
export let workbench: Workbench;
/** `workbench.page`. */
export let page: Page;

export interface ScenarioSetup {
  /** Wait for "Switchboard · today" in the status bar before the first test (default true). */
  waitForReady?: boolean;
  /**
   * The fakes' keys in the workbench's environment (default true). False: only their addresses, as on a machine
   * with no key yet; the fakes listen on 127.0.0.1, a local server, so a key stored later is still sent.
   */
  keysInEnvironment?: boolean;
}

/** Registers the calling describe's fakes and workbench (opened with `options` on top of the fakes' setup). */
export function useWorkbenchOnFakes(options: OpenWorkbenchOptions = {}, setup: ScenarioSetup = {}): void {
  let started: FakeProviders | undefined;
  let opened: Workbench | undefined;
  before(async () => {
    started = await startFakeProviders();
    fakes = started;
    opened =
      setup.keysInEnvironment === false
        ? await openWorkbench({ ...options, userSettings: { ...fakeProviderSetup(started.urls).userSettings, ...options.userSettings } })
        : await openWorkbenchOnFakes(started, options);
    workbench = opened;
    page = opened.page;
    if (setup.waitForReady !== false) await waitForSwitchboardReady(page);
  });

  captureFailuresAndCloseAfterSuite(() => opened, () => started);
}
