import * as os from 'node:os';
import * as vscode from 'vscode';
import { describeProblem } from '../core/config';
import { priceProblems } from '../core/prices/priceWarnings';
import { redactSecrets } from '../core/redact';
import type { RouterEvent } from '../core/router';
import { Switchboard } from '../core/switchboard';
import { watchChanges } from './activation/changeWatchers';
import { createLocalServerOffer, offerEnvironmentServer } from './activation/localServerWiring';
import { Notices, type NoticeTargets } from './activation/notices';
import { registerChatView, registerCompletions } from './activation/panels';
import { ReapplyQueue } from './activation/reapplyQueue';
import { SettingsProblems } from './activation/settingsProblems';
import { CompletionSnooze } from './activation/snooze';
import { createStatusBar, followTodaysSpend } from './activation/statusBarSources';
import { AnswerDocuments } from './answerDocuments';
import { MODAL_CONSENT_QUESTION, registerCommands, type ConsentQuestion } from './commands';
import { CostsPanel } from './costs/costsPanel';
import { FreeOnLocalServer } from './freeOnLocalServer';
import type { ChatViewProvider } from './chat/chatViewProvider';
import { IgnoredSettingsWarning } from './ignoredSettingsWarning';
import { EnvServerConsent } from './envServerConsent';
import { machineSettingsFiles } from './containerSettings';
import { ContainerSettingsConsent } from './containerSettingsConsent';
import { remoteFolderAuthority } from './remoteFolder';
import { showSetupCheck } from './checkSetup';
import { watchExclusions } from './exclusions';
import { createLog, logProviders, logRouterEvent } from './log';
import { createKeyHostNotices, MODAL_KEY_HOST_QUESTION, registerKeyHostCommands, type KeyHostQuestion } from './keyHosts';
import { SecretKeyStore } from './secrets';
import { readSettings, SECTION } from './settings';
import { markdownTaskLists, PlanStepLenses } from './planSteps';
import { plainInNotification } from './notificationText';
import { RecentRequests } from './recentRequests';
import { sandboxSimulated } from './sandboxSimulation';
import { openWalkthroughOnce, WalkthroughProgress } from './walkthrough';
import { isRestricted, RESTRICTED_MESSAGE } from './workspaceTrust';
import { createTestApi, type SwitchboardTestApi } from './testApi';

/**
 * What activate() returns. Always `extendMarkdownIt`, which VS Code's Markdown
 * preview calls (a plan's steps shown as check boxes): a pure function that
 * holds nothing. Under the test harness, the test API too (see testApi.ts).
 */
export type SwitchboardExports = { extendMarkdownIt: typeof markdownTaskLists } & Partial<SwitchboardTestApi>;

export async function activate(context: vscode.ExtensionContext): Promise<SwitchboardExports> {
  const log = createLog();
  context.subscriptions.push(log);
  try {
    return await start(context, log);
  } catch (error) {
    // Shown, not swallowed: a silent failure would leave the status bar empty with no clue why.
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    log.error(`activation failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    void vscode.window.showErrorMessage(plainInNotification(`Switchboard failed to start: ${message}`), 'Open Log').then((choice) => {
      if (choice === 'Open Log') log.show();
    });
    throw error;
  }
}

async function start(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<SwitchboardExports> {
  const keyStore = new SecretKeyStore(context.secrets);
  // Router events can arrive before the status bar exists (none do today, but the order is not a contract).
  const ui: NoticeTargets & { walkthrough?: WalkthroughProgress } = {};
  const listeners: ((event: RouterEvent) => void)[] = [];
  const notices = new Notices(log, ui);

  const onEvent = (event: RouterEvent) => {
    logRouterEvent(log, event);
    // Having had an answer is proof enough that a provider is connected.
    if (event.type === 'finished' && event.record.outcome === 'ok') ui.walkthrough?.reach('connected');
    ui.statusBar?.onRouterEvent(event);
    for (const listener of listeners) listener(event);
    notices.onRouterEvent(event);
  };

  // Reads settings again once the user answered whether a remote window's OPENAI_BASE_URL may be used.
  const reapplyRef: { current?: (why: string) => Promise<void>; missed?: boolean } = {};
  const envServers = new EnvServerConsent({
    remoteName: vscode.env.remoteName,
    state: context.globalState,
    ask: (message, ...buttons) => vscode.window.showWarningMessage(message, ...buttons),
    log: (line) => log.info(line),
    // An answer quicker than activation is applied as soon as settings can be re-applied.
    answered: () => (reapplyRef.current ? void reapplyRef.current('OPENAI_BASE_URL answered') : (reapplyRef.missed = true)),
  });
  // A container's Remote settings are its repository's: Switchboard's there wait for the user's yes (containerSettingsConsent.ts).
  const containerSettingsFiles = machineSettingsFiles({ globalStoragePath: context.globalStorageUri.fsPath, env: process.env, home: os.homedir() });
  const containerSettings = new ContainerSettingsConsent({
    remoteName: vscode.env.remoteName,
    container: containerLabel(),
    files: containerSettingsFiles,
    env: process.env,
    authority: remoteFolderAuthority(),
    state: context.globalState,
    ask: (message, ...buttons) => vscode.window.showWarningMessage(message, ...buttons),
    log: (line) => log.warn(`setting: ${line}`),
    answered: () => (reapplyRef.current ? void reapplyRef.current('container settings answered') : (reapplyRef.missed = true)),
  });
  let held = containerSettings.held();
  let settings = readSettings(process.env, envServers.consent, held.keys, held.variables, held.proxy === true);
  // The container's question already says its values count only the cheaper way; the log says what was kept, on every read.
  const logContainerLimits = () => {
    for (const { key, detail } of settings.limitedFromContainer) log.info(`setting: switchboard.${key}: ${detail} (this container's Remote settings, not confirmed)`);
  };
  logContainerLimits();
  const switchboard = await Switchboard.create({
    config: settings.config,
    source: 'vscode',
    keyStore,
    onEvent,
    onLedgerError: (error) => notices.ledgerFailed(error),
    onLedgerRecovered: (message) => notices.ledgerRecovered(message),
    // The tooltip's count of records kept in memory, after each failed write the warning (said once) does not count.
    onLedgerKept: () => ui.statusBar?.refresh(),
    onBudgetCrossing: (crossing) => notices.budgetCrossed(crossing),
    // Ghost text served from the cache or typed through: the tooltip's count, redrawn at most once a second.
    onServed: () => ui.statusBar?.refreshSoon(),
    ledgerSettingName: `${SECTION}.ledger.path`,
  });
  // Decided at each use, not once: a provider added after the start (a real endpoint, a key) makes answers billed.
  const simulated = () => sandboxSimulated(process.env, switchboard.registry, switchboard.currentConfig);
  let wasSimulated = simulated();
  notices.reportLedgerProblem(switchboard);
  context.subscriptions.push(watchExclusions(() => switchboard.currentConfig.exclude, context.globalStorageUri));
  // Before anything can ask: in Restricted Mode no request leaves, whichever command makes it.
  if (isRestricted()) switchboard.router.hold(RESTRICTED_MESSAGE);
  const walkthrough = new WalkthroughProgress();
  ui.walkthrough = walkthrough;
  const noteConnected = () => {
    if (switchboard.registry.anyUsable()) walkthrough.reach('connected');
  };
  noteConnected();
  log.info(`Switchboard ${context.extension.packageJSON.version as string} started; ledger: ${switchboard.ledgerPath}${wasSimulated ? ' (simulated providers)' : ''}${isRestricted() ? '; Restricted Mode: nothing is sent until the workspace is trusted' : ''}`);
  logProviders(log, switchboard);
  ui.keyHosts = createKeyHostNotices(switchboard.registry);
  ui.keyHosts.offerAll();
  // The in-host tests answer the Allow command's modal through testApi.ts (a modal has no button they can click).
  const keyHostQuestion: { current: KeyHostQuestion } = { current: MODAL_KEY_HOST_QUESTION };
  registerKeyHostCommands(context, () => switchboard.registry, () => keyHostQuestion.current);

  const snooze = new CompletionSnooze(context.workspaceState, () => ui.statusBar?.refresh());
  snooze.logAtStart(log);
  const statusBar = createStatusBar(switchboard, { simulated, isSnoozed: () => snooze.isSnoozed(), containerSettingsHeld: () => held.reason });
  ui.statusBar = statusBar;
  context.subscriptions.push(statusBar);

  // Setting problems, and what the price table finds (an unusable price override, a routed model past its deprecation date or unknown to it).
  const problems = () => [...settings.problems, ...priceProblems(settings.config, switchboard.priceTable, `${SECTION}.`)];
  const settingsProblems = new SettingsProblems(log, problems);
  settingsProblems.report();

  const ignoredSettings = new IgnoredSettingsWarning(context, log, () => settings.ignoredFromWorkspace, () => settings.limitedFromWorkspace);
  context.subscriptions.push(ignoredSettings);
  void ignoredSettings.check();

  followTodaysSpend(switchboard, ui, log, notices);

  const chatRef: { current?: ChatViewProvider } = {};
  const freeOnLocalServer = new FreeOnLocalServer(switchboard);
  const costs = new CostsPanel(context, switchboard, log, freeOnLocalServer);
  context.subscriptions.push(costs);
  listeners.push((event) => {
    if (event.type !== 'finished') return;
    freeOnLocalServer.noteRecord(event.record);
    costs.onRequestFinished();
  });
  const settingsQueue = new ReapplyQueue(async (reasons) => {
    held = containerSettings.held();
    settings = readSettings(process.env, envServers.consent, held.keys, held.variables, held.proxy === true);
    logContainerLimits();
    await switchboard.reconfigure(settings.config);
    notices.reportLedgerProblem(switchboard);
    log.info(`settings re-applied (${reasons.join(', ')})`);
    logProviders(log, switchboard);
    if (simulated() !== wasSimulated) {
      wasSimulated = !wasSimulated;
      log.info(wasSimulated ? 'every usable provider answers on this machine: answers are labelled simulated' : 'a usable provider answers away from this machine: answers are no longer labelled simulated (they may be billed)');
    }
    ui.keyHosts?.offerAll();
    settingsProblems.report();
    await ignoredSettings.check();
    ui.statusBar?.refresh();
    chatRef.current?.refresh();
    noteConnected();
    costs.onConfigChanged();
  }, (error) => log.error(`could not apply settings: ${String(error)}`));
  const reapply = (why: string) => settingsQueue.request(why);
  // The key commands' own re-apply (see commands.ts); the change event still comes and is applied too: keys can change in another window.
  const applyKeys = () => reapply('API key changed');
  const localServer = createLocalServerOffer(context, switchboard, keyStore, log, () => held.keys, envServers.confirmedCheck);
  offerEnvironmentServer(switchboard, localServer);
  // A remote window's server confirmed after the start gets the same offer of its models.
  reapplyRef.current = (why) => reapply(why).then(() => offerEnvironmentServer(switchboard, localServer));
  if (reapplyRef.missed) void reapplyRef.current('a remote window question answered');
  watchChanges(context, { switchboard, keyStore, localServer, log, reapply });
  context.subscriptions.push(
    vscode.commands.registerCommand('switchboard.useLocalServer', () => localServer.useLocalServer()),
    vscode.commands.registerCommand('switchboard.checkSetup', () => showSetupCheck(switchboard, process.env)),
  );

  const completions = registerCompletions(context, switchboard, log, () => snooze.isSnoozed(), walkthrough);
  const chat = registerChatView(context, switchboard, log, simulated, walkthrough);
  chatRef.current = chat;

  const recent = new RecentRequests(switchboard);
  listeners.push((event) => recent.onRouterEvent(event));
  const documents = new AnswerDocuments(simulated);
  context.subscriptions.push(new PlanStepLenses(documents));

  const commandQuestion: { current: ConsentQuestion } = { current: MODAL_CONSENT_QUESTION };
  const logFile = vscode.Uri.joinPath(context.logUri, `${log.name}.log`);
  const own = registerCommands(context, {
    chat,
    documents,
    costs,
    switchboard,
    keyStore,
    applyKeys,
    log,
    logFile,
    statusBar,
    recent,
    freeOnLocalServer,
    setSnoozed: (value) => snooze.set(value),
    isSnoozed: () => snooze.isSnoozed(),
    simulated,
    question: () => commandQuestion.current,
  });
  ui.allowOnce = own.allowOnce;

  if (wasSimulated) void openWalkthroughOnce(context.globalState, walkthrough);
  snooze.noteAtStart(context);

  active = switchboard;
  // Nothing else in normal use: another extension could otherwise reach the keys through the exports.
  if (context.extensionMode !== vscode.ExtensionMode.Test) return Object.freeze({ extendMarkdownIt: markdownTaskLists });
  const testApi = createTestApi({
    switchboard,
    statusBar,
    completions,
    keyStore,
    log,
    logFile,
    applyKeys,
    settled: () => settingsQueue.settled(),
    settingProblems: () => problems().map(describeProblem),
    envServers,
    containerSettingsFiles,
    containerSettingsHeld: () => held,
    keyHostQuestion,
    commandQuestion,
    automaticTrigger: vscode.InlineCompletionTriggerKind.Automatic,
  });
  return Object.freeze({ ...testApi, extendMarkdownIt: markdownTaskLists });
}

let active: Switchboard | undefined;

/** Disposables do the rest; the ledger's queued lines must reach the file before the host exits. */
export async function deactivate(): Promise<void> {
  await active?.dispose();
  active = undefined;
}

/** The container as the user knows it, for the container-settings question and its confirmation: what the window opened. */
function containerLabel(): string {
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') return workspaceFile.path;
  return vscode.workspace.workspaceFolders?.[0]?.uri.path ?? 'no folder open';
}
