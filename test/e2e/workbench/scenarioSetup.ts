/**
 * The set-up most scenario describes share: fake providers of their own, a workbench pointed at them and, unless
 * told otherwise, Switchboard ready in the status bar; after each failed test a screenshot and the extension's
 * logs, after the last the workbench and the fakes closed.
 *
 * Call `useWorkbenchOnFakes(options)` inside a describe: it registers that describe's hooks, which set the bindings
 * below. They are live bindings (`export let`), so a test reads them as plain names (`fakes.openai`, `page`) once
 * the describe's `before` has run; scenario describes run one after another, so each sees its own. A describe's
 * own `before` and `after`, registered after the call, run after these (mocha runs hooks in the order given).
 */
import type { Page } from 'playwright-core';
import { startFakeProviders, type FakeProviders, type FakeProvidersOptions } from '../../fakes';
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
  /**
   * Whether the workbench is pointed at the fakes at all (default true). False: the fakes run, but neither their
   * keys nor their addresses (nor the loopback hosts allowed a key) are given; the options say all there is.
   */
  pointAtFakes?: boolean;
  /** How the fakes start (a key they insist on, an answerer); startFakeProviders' defaults otherwise. */
  fakeProviders?: FakeProvidersOptions;
}

/**
 * Registers the calling describe's fakes and workbench (opened with `options` on top of the fakes' setup).
 * `options` may be a function of the started fakes, called in the describe's `before` (for their addresses, or
 * for a file the workbench needs, made only when the describe runs).
 */
export function useWorkbenchOnFakes(options: OpenWorkbenchOptions | ((fakes: FakeProviders) => OpenWorkbenchOptions) = {}, setup: ScenarioSetup = {}): void {
  let started: FakeProviders | undefined;
  let opened: Workbench | undefined;
  before(async () => {
    started = await startFakeProviders(setup.fakeProviders);
    fakes = started;
    const given = typeof options === 'function' ? options(started) : options;
    opened =
      setup.pointAtFakes === false
        ? await openWorkbench(given)
        : setup.keysInEnvironment === false
          ? await openWorkbench({ ...given, userSettings: { ...fakeProviderSetup(started.urls).userSettings, ...given.userSettings } })
          : await openWorkbenchOnFakes(started, given);
    workbench = opened;
    page = opened.page;
    if (setup.waitForReady !== false) await waitForSwitchboardReady(page);
  });

  captureFailuresAndCloseAfterSuite(() => opened, () => started);
}
