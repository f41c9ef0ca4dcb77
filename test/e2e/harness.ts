/**
 * Helpers for UI scenarios: a real VS Code workbench in headless Chromium with
 * Switchboard installed, driven the way a person would (palette, keyboard,
 * status bar). Runs from plain Node under mocha; see scripts/vscode/run-e2e.mjs.
 * One module a part of the workbench, in ./workbench/; scenarios, benchmarks
 * and scripts import them all from here.
 *
 * Every wait is on something visible in the DOM, never a fixed sleep, so a
 * slow machine makes a scenario slower, not flaky.
 */
export { ghostText, ghostTextDecorations, goToLineEnd, goToPosition, openFile, QUIET_EDITOR_SETTINGS, visibleDocumentLines, visibleEditorText, waitForEditorText, waitForGhostText } from './workbench/editor';
export { SWITCHBOARD_ID } from './workbench/extensionId';
export { OUTPUT_DIR, printExtensionLogs, screenshotOnFailure } from './workbench/failureCapture';
export { fakeProviderSetup, LOOPBACK_KEY_HOSTS } from './workbench/fakeProviders';
export { readLedger, readUserSettings, waitForLedgerRecord } from './workbench/filesOnDisk';
export { closeSettings, enterLocalServer, setLocalServer } from './workbench/localServerSetup';
export { clearNotifications, clickInNotificationCenter, notificationToast } from './workbench/notifications';
export { fakes, page, useWorkbenchOnFakes, workbench, type ScenarioSetup } from './workbench/scenarioSetup';
export { inputRefusal, quickPickRows, runCommand, runCommandAndPick, runCommandReplacingInput, runCommandWithInput } from './workbench/quickInput';
export { hoverStatusBarItem, statusBarItem, statusBarText, waitForStatusBarText, waitForSwitchboardReady, type StatusBarMatcher } from './workbench/statusBar';
export { waitUntil } from './workbench/waits';
export { askInChat, openChatPanel, webviewFrame } from './workbench/webviews';
export { captureFailuresAndCloseAfterSuite, createWorkspace, openWorkbench, openWorkbenchOnFakes, waitForWorkbench, type OpenWorkbenchOptions, type Workbench } from './workbench/workbench';
