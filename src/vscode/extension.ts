import * as vscode from 'vscode';
import { describeProblem } from '../core/config';
import { priceProblems } from '../core/prices/priceWarnings';
import { formatModelRef } from '../core/modelRef';
import { redactSecrets } from '../core/redact';
import type { RouterEvent } from '../core/router';
import { Switchboard } from '../core/switchboard';
import { AnswerDocuments } from './answerDocuments';
import { registerCommands } from './commands';
import { CostsPanel } from './costs/costsPanel';
import { ChatViewProvider, CHAT_VIEW_ID } from './chat/chatViewProvider';
import { SwitchboardInlineCompletionProvider } from './completionProvider';
import { IgnoredSettingsWarning } from './ignoredSettingsWarning';
import { EnvServerConsent } from './envServerConsent';
import { LocalServerOffer } from './localServer';
import { showSetupCheck } from './checkSetup';
import { watchExclusions } from './exclusions';
import { createLog, logRouterEvent } from './log';
import { createKeyHostNotices, MODAL_KEY_HOST_QUESTION, registerKeyHostCommands, type KeyHostQuestion } from './keyHosts';
import { SecretKeyStore } from './secrets';
import { affectsSwitchboard, readSettings, SECTION } from './settings';
import { markdownTaskLists, PlanStepLenses } from './planSteps';
import { plainInNotification, settingsWarning } from './notificationText';
import { RecentRequests } from './recentRequests';
import { StatusBar } from './statusBar';
import { openWalkthroughOnce, WalkthroughProgress } from './walkthrough';
import type { BudgetReadout } from './statusModel';
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
  const simulated = process.env.SWITCHBOARD_SIMULATED === '1';
  // Router events can arrive before the status bar exists (none do today, but the order is not a contract).
  const ui: { statusBar?: StatusBar; walkthrough?: WalkthroughProgress; keyHosts?: ReturnType<typeof createKeyHostNotices> } = {};
  const listeners: ((event: RouterEvent) => void)[] = [];
  const authWarned = new Map<string, number>();

  const onEvent = (event: RouterEvent) => {
    logRouterEvent(log, event);
    // Having had an answer is proof enough that a provider is connected.
    if (event.type === 'finished' && event.record.outcome === 'ok') ui.walkthrough?.reach('connected');
    ui.statusBar?.onRouterEvent(event);
    for (const listener of listeners) listener(event);
    // Refused without the key Switchboard kept back: the way out is allowing the host, not a new key.
    if (event.type === 'attempt-failed' && event.error.kind === 'auth' && !ui.keyHosts?.offer(event.ref.provider)) warnRejectedKey(event.ref.provider);
    // Inline completions pause quietly (the status bar says why); a question asked is answered with the way out.
    if (event.type === 'finished' && event.budgetRefused && event.record.task !== 'completion') offerBudgetActions(event.error ?? 'a budget limit is reached');
  };

  const offerBudgetActions = (message: string) => {
    void vscode.window.showWarningMessage(plainInNotification(`Switchboard: ${message}`), RAISE_BUDGET, ALLOW_ONCE).then((choice) => {
      if (choice === RAISE_BUDGET) void vscode.commands.executeCommand('switchboard.raiseBudget');
      if (choice === ALLOW_ONCE) void vscode.commands.executeCommand('switchboard.allowOnce');
    });
  };

  const warnRejectedKey = (provider: string) => {
    // Once per provider every ten minutes: completions would otherwise repeat it on every keystroke.
    const last = authWarned.get(provider) ?? 0;
    if (Date.now() - last < 10 * 60_000) return;
    authWarned.set(provider, Date.now());
    const keyed = provider === 'openai' || provider === 'anthropic';
    void vscode.window
      .showWarningMessage(plainInNotification(`Switchboard: ${provider} rejected its credentials; falling back to the next model.`), ...(keyed ? ['Set Key'] : []), 'Open Log')
      .then((choice) => {
        if (choice === 'Set Key') void vscode.commands.executeCommand(provider === 'openai' ? 'switchboard.setOpenAIKey' : 'switchboard.setAnthropicKey');
        if (choice === 'Open Log') log.show();
      });
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
  let settings = readSettings(process.env, envServers.consent);
  // The core reports a failing ledger once until it works again; requests still answer.
  const onLedgerError = (error: Error) => {
    log.error(error.message);
    // The tooltip says it for as long as records wait in memory (statusModel.ts).
    ui.statusBar?.refresh();
    void vscode.window.showWarningMessage(plainInNotification(`Switchboard: ${error.message}`), 'Open Log').then((choice) => {
      if (choice === 'Open Log') log.show();
    });
  };
  const switchboard = await Switchboard.create({
    config: settings.config,
    source: 'vscode',
    keyStore,
    onEvent,
    onLedgerError,
    // Logged beside the warning it ends: the records it kept are in the ledger now.
    onLedgerRecovered: (message) => {
      log.info(message);
      ui.statusBar?.refresh();
    },
    // One window tells of a crossing, whichever saw it first (the others share the claim beside the ledger).
    onBudgetCrossing: (crossing) => {
      log.info(`budget: ${crossing.message}`);
      void vscode.window.showWarningMessage(plainInNotification(`Switchboard: ${crossing.message}`), RAISE_BUDGET, SHOW_COSTS).then((choice) => {
        if (choice === RAISE_BUDGET) void vscode.commands.executeCommand('switchboard.raiseBudget');
        if (choice === SHOW_COSTS) void vscode.commands.executeCommand('switchboard.showCosts');
      });
    },
    // Ghost text served from the cache or typed through: the tooltip's count, redrawn at most once a second.
    onServed: () => ui.statusBar?.refreshSoon(),
    ledgerSettingName: `${SECTION}.ledger.path`,
  });
  // A ledger path passed over (a named pipe, a folder, relative): said at start and whenever a settings change brings a new one.
  let shownLedgerProblem: string | undefined;
  const reportLedgerProblem = () => {
    const problem = switchboard.ledgerProblem && `${switchboard.ledgerProblem}; using ${switchboard.ledgerPath}`;
    if (problem && problem !== shownLedgerProblem) onLedgerError(new Error(problem));
    shownLedgerProblem = problem;
  };
  reportLedgerProblem();
  context.subscriptions.push(watchExclusions(() => switchboard.currentConfig.exclude, context.globalStorageUri));
  // Before anything can ask: in Restricted Mode no request leaves, whichever command makes it.
  if (isRestricted()) switchboard.router.hold(RESTRICTED_MESSAGE);
  const walkthrough = new WalkthroughProgress();
  ui.walkthrough = walkthrough;
  const noteConnected = () => {
    if (switchboard.registry.anyUsable()) walkthrough.reach('connected');
  };
  noteConnected();
  log.info(`Switchboard ${context.extension.packageJSON.version as string} started; ledger: ${switchboard.ledgerPath}${simulated ? ' (simulated providers)' : ''}${isRestricted() ? '; Restricted Mode: nothing is sent until the workspace is trusted' : ''}`);
  logProviders(log, switchboard);
  ui.keyHosts = createKeyHostNotices(switchboard.registry);
  ui.keyHosts.offerAll();
  // The in-host tests answer the Allow command's modal through testApi.ts (a modal has no button they can click).
  const keyHostQuestion: { current: KeyHostQuestion } = { current: MODAL_KEY_HOST_QUESTION };
  registerKeyHostCommands(context, () => switchboard.registry, () => keyHostQuestion.current);

  // Kept until resumed: a window reload that silently brought ghost text back would spend what the user paused.
  let snoozed = context.workspaceState.get<boolean>(SNOOZED_KEY) === true;
  if (snoozed) log.info('Inline completions are still snoozed from before the window reloaded (Switchboard: Snooze or Resume Inline Completions resumes them).');
  const statusBar = new StatusBar({
    simulated: () => simulated,
    restricted: isRestricted,
    anyUsableProvider: () => switchboard.registry.anyUsable(),
    budget: () => budgetReadout(switchboard),
    completionUnavailable: () => {
      if (snoozed || !switchboard.currentConfig.completion.enabled) return undefined;
      const refusal = switchboard.router.refusal('completion');
      return refusal?.kind === 'empty-route' || refusal?.kind === 'no-credentials' ? refusal.message : undefined;
    },
    providerSettingProblems: () => switchboard.registry.invalidSettingReasons(),
    withheldKeys: () => switchboard.registry.withheldKeys().map(({ host, reason }) => ({ host, reason })),
    ledgerUnwritten: () => {
      const failure = switchboard.ledger.failure();
      return failure && { path: switchboard.ledgerPath, ...failure, reachesOthers: switchboard.keptSpendReachesOthers };
    },
    today: () => switchboard.today(),
    snoozed: () => snoozed,
    openaiServer: () => {
      const { baseUrl, baseUrlFrom } = switchboard.currentConfig.providers.openai;
      return baseUrl ? { url: baseUrl, from: baseUrlFrom ?? 'setting' } : undefined;
    },
  });
  ui.statusBar = statusBar;
  context.subscriptions.push(statusBar);

  // Setting problems, and what the price table finds (an unusable price override, a routed model past its deprecation date or unknown to it).
  const problems = () => [...settings.problems, ...priceProblems(settings.config, switchboard.priceTable, `${SECTION}.`)];
  let shownProblems = '';
  const reportProblems = () => {
    const current = problems();
    const lines = current.map(describeProblem);
    for (const line of lines) log.warn(`setting: ${line}`);
    const key = lines.join('\n');
    if (key && key !== shownProblems) {
      void vscode.window
        .showWarningMessage(settingsWarning(lines), 'Open Settings')
        .then((choice) => {
          if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', current[0]!.key.replace(/\[.*$/, ''));
        });
    }
    shownProblems = key;
  };
  reportProblems();

  const ignoredSettings = new IgnoredSettingsWarning(context, log, () => settings.ignoredFromWorkspace, () => settings.limitedFromWorkspace);
  context.subscriptions.push(ignoredSettings);
  void ignoredSettings.check();

  // Today's total from the shared ledger, without holding up activation; then
  // spend from other windows and the CLI as they append to it.
  void switchboard
    .loadToday({ watch: true, onChange: () => ui.statusBar?.refresh(), onWarning: (warning) => log.warn(warning) })
    .then((warnings) => {
      for (const warning of warnings) log.warn(warning);
      ui.statusBar?.refresh();
    }, (error: unknown) => onLedgerError(error instanceof Error ? error : new Error(String(error))));

  const chatRef: { current?: ChatViewProvider } = {};
  const costs = new CostsPanel(context, switchboard, log);
  context.subscriptions.push(costs);
  listeners.push((event) => {
    if (event.type === 'finished') costs.onRequestFinished();
  });
  let pending: Promise<void> = Promise.resolve();
  // A re-apply asked for while another still waits its turn joins it (a burst of changes is applied once).
  let waiting: { reasons: Set<string>; done: Promise<void> } | undefined;
  const reapply = (why: string): Promise<void> => {
    if (waiting) {
      waiting.reasons.add(why);
      return waiting.done;
    }
    const reasons = new Set([why]);
    // After the previous one whether or not it failed: one failure must not stop every later change.
    const done = pending.catch(() => undefined).then(async () => {
      waiting = undefined;
      settings = readSettings(process.env, envServers.consent);
      await switchboard.reconfigure(settings.config);
      reportLedgerProblem();
      log.info(`settings re-applied (${[...reasons].join(', ')})`);
      logProviders(log, switchboard);
      ui.keyHosts?.offerAll();
      reportProblems();
      await ignoredSettings.check();
      ui.statusBar?.refresh();
      chatRef.current?.refresh();
      noteConnected();
      costs.onConfigChanged();
    });
    waiting = { reasons, done };
    pending = done;
    done.catch((error: unknown) => log.error(`could not apply settings: ${String(error)}`));
    return done;
  };
  // The key commands' own re-apply (see commands.ts); the change event still comes and is applied too: keys can change in another window.
  const applyKeys = () => reapply('API key changed');
  const localServer = new LocalServerOffer({
    keyStore,
    env: process.env,
    routes: () => {
      const { routes } = switchboard.currentConfig;
      return { completion: routes.completion.map(formatModelRef), chat: routes.chat.map(formatModelRef), plan: routes.plan.map(formatModelRef) };
    },
    sendKeyTo: () => switchboard.currentConfig.providers.openai.sendKeyTo,
    remoteLoopback: () => switchboard.currentConfig.providers.openai.remoteLoopback === true,
    log,
    environmentOffered: {
      get: () => context.globalState.get<string>(ENV_SERVER_OFFERED_KEY),
      set: (url) => context.globalState.update(ENV_SERVER_OFFERED_KEY, url),
    },
  });
  // Not awaited: activation never waits on a server (its answer, or its 5 s of silence, comes when it comes).
  const offerEnvironmentServer = () => {
    const openaiServer = switchboard.currentConfig.providers.openai;
    if (openaiServer.baseUrlFrom === 'OPENAI_BASE_URL') void localServer.offerForEnvironment(openaiServer.baseUrl);
  };
  offerEnvironmentServer();
  // A remote window's server confirmed after the start gets the same offer of its models.
  reapplyRef.current = (why) => reapply(why).then(offerEnvironmentServer);
  if (reapplyRef.missed) void reapplyRef.current('OPENAI_BASE_URL answered');
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsSwitchboard(event)) void reapply('settings changed');
      localServer.onConfigurationChanged(event);
    }),
    vscode.commands.registerCommand('switchboard.useLocalServer', () => localServer.useLocalServer()),
    vscode.commands.registerCommand('switchboard.checkSetup', () => showSetupCheck(switchboard, process.env)),
    keyStore.onDidChange(() => void reapply('API key changed')),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      switchboard.router.hold(undefined);
      log.info('the workspace is trusted now: requests may go');
      // Routes and completion tuning from the workspace count from now on.
      void reapply('workspace trusted');
    }),
  );

  const completions = new SwitchboardInlineCompletionProvider({
    switchboard,
    log,
    isSnoozed: () => snoozed,
    tell: (note) => void vscode.window.setStatusBarMessage(note, GHOST_TEXT_NOTE_MS),
  });
  context.subscriptions.push(completions, vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, walkthrough.watchGhostText(completions)));

  // The chat streaming benchmark's only hook in the host (npm run bench -- chat; see chat/chunkArrivals.ts).
  const benchmarkFile = process.env.SWITCHBOARD_BENCHMARK_FILE;
  const chat = new ChatViewProvider(context, switchboard, log, { ...(benchmarkFile ? { benchmarkFile } : {}), simulated, onAnswer: () => walkthrough.reach('gotChatAnswer') });
  if (benchmarkFile) log.info(`benchmark mode: the chat panel records paint times; chunk arrival times go to ${benchmarkFile}`);
  chatRef.current = chat;
  context.subscriptions.push(chat, vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chat, { webviewOptions: { retainContextWhenHidden: true } }));

  const recent = new RecentRequests(switchboard);
  listeners.push((event) => recent.onRouterEvent(event));
  const documents = new AnswerDocuments(simulated);
  context.subscriptions.push(new PlanStepLenses(documents));

  registerCommands(context, {
    chat,
    documents,
    costs,
    switchboard,
    keyStore,
    applyKeys,
    log,
    logFile: vscode.Uri.joinPath(context.logUri, `${log.name}.log`),
    statusBar,
    recent,
    setSnoozed: (value) => {
      snoozed = value;
      void context.workspaceState.update(SNOOZED_KEY, value || undefined);
      ui.statusBar?.refresh();
    },
    isSnoozed: () => snoozed,
    simulated,
  });

  if (simulated) void openWalkthroughOnce(context.globalState, walkthrough);
  if (snoozed) context.subscriptions.push(vscode.window.setStatusBarMessage('Switchboard: inline completions are still snoozed', SNOOZED_NOTE_MS));

  active = switchboard;
  // Nothing else in normal use: another extension could otherwise reach the keys through the exports.
  if (context.extensionMode !== vscode.ExtensionMode.Test) return Object.freeze({ extendMarkdownIt: markdownTaskLists });
  const testApi = createTestApi({
    switchboard,
    statusBar,
    completions,
    keyStore,
    log,
    applyKeys,
    settled: () => pending.catch(() => undefined),
    settingProblems: () => problems().map(describeProblem),
    envServers,
    keyHostQuestion,
    automaticTrigger: vscode.InlineCompletionTriggerKind.Automatic,
  });
  return Object.freeze({ ...testApi, extendMarkdownIt: markdownTaskLists });
}

/** The budget limit nearest its end, as the status bar shows it. */
function budgetReadout(switchboard: Switchboard): BudgetReadout | undefined {
  const status = switchboard.budget.gate.closest();
  if (!status) return undefined;
  const { limit } = status;
  return {
    label: limit.label,
    setting: limit.setting,
    limitUsd: limit.limitUsd,
    spentUsd: status.spentUsd,
    leftUsd: status.leftUsd,
    level: status.level,
    action: switchboard.currentConfig.budget.action,
    resetsAt: status.resetsAt,
    ...(limit.invalid !== undefined ? { invalid: limit.invalid } : {}),
  };
}

function logProviders(log: vscode.LogOutputChannel, switchboard: Switchboard): void {
  const { baseUrl, baseUrlFrom } = switchboard.currentConfig.providers.openai;
  for (const status of switchboard.registry.allStatuses()) {
    // The environment's server is in no settings file: the log says where it came from.
    const server = status.id === 'openai' && baseUrl ? ` at ${baseUrl} (from ${baseUrlFrom === 'OPENAI_BASE_URL' ? 'the OPENAI_BASE_URL environment variable' : 'switchboard.providers.openai.baseUrl'})` : '';
    log.info(`provider ${status.id}: ${status.usable ? `ready (key: ${status.keySource})` : `not usable: ${status.reason}`}${server}`);
  }
}

/** How long a note on an Alt+\\ that brings no ghost text stays in the status bar. */
const GHOST_TEXT_NOTE_MS = 6_000;
/** The OPENAI_BASE_URL server whose models were offered at a start (localServer.ts), so that it is offered once. */
const ENV_SERVER_OFFERED_KEY = 'switchboard.environmentServerOffered';
/** Snooze or Resume Inline Completions' state, per workspace, until resumed. */
const SNOOZED_KEY = 'switchboard.completionsSnoozed';
/** How long the start says that ghost text is still snoozed. */
const SNOOZED_NOTE_MS = 10_000;
const RAISE_BUDGET = 'Raise Budget…';
const SHOW_COSTS = 'Show Costs';
const ALLOW_ONCE = 'Allow Once';

let active: Switchboard | undefined;

/** Disposables do the rest; the ledger's queued lines must reach the file before the host exits. */
export async function deactivate(): Promise<void> {
  await active?.dispose();
  active = undefined;
}
