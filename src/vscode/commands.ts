import * as vscode from 'vscode';
import { redactSecrets } from '../core/redact';
import { chatRequest } from '../core/prompts/taskPrompts';
import type { Switchboard } from '../core/switchboard';
import { KEYED_PROVIDERS, promptForKey, type KeyedProvider, type SecretKeyStore } from './secrets';
import type { StatusBar } from './statusBar';
import { recentRequestItem, type RequestStory } from './requestStory';
import { FREE_ON_LOCAL_SERVER_COMMAND, type FreeOnLocalServer } from './freeOnLocalServer';
import { showRequestDetails, type RecentRequests } from './recentRequests';
import type { AnswerDocuments } from './answerDocuments';
import { answerFooter } from './chat/answerFooter';
import type { ChatViewProvider } from './chat/chatViewProvider';
import type { CostsPanel } from './costs/costsPanel';
import { exclusionOf } from './exclusions';
import { excludedDocumentNotice, excludedSelectionNotice, plainInNotification } from './notificationText';
import { runPlanCommand } from './planCommand';
import { refuseWithoutProvider } from './noProvider';
import { documentPathForPrompt } from './promptPath';
import { streamIntoNewDocument } from './streamDocument';
import { MANAGE_TRUST_COMMAND, isRestricted, refuseInRestrictedMode } from './workspaceTrust';
import { allowOnceConsent, clearKeyConsent, explainConsent, promptConsent, resumeCompletionsConsent, type Consent, type SelectionShown, type SpendContext } from './commandConsent';
import { MAX_ATTACHED_CHARS } from '../core/prompts/attachments';
import { formatModelRef } from '../core/modelRef';
import { cheapTier, isAutoRouted } from '../core/routing/autoRoute';
import type { ModelRef, ModelRequest, Task } from '../core/types';

export interface CommandContext {
  switchboard: Switchboard;
  chat: ChatViewProvider;
  /** What Ask and Plan wrote, for Continue This Document in Chat and the plan's check boxes. */
  documents: AnswerDocuments;
  costs: CostsPanel;
  keyStore: SecretKeyStore;
  /** Sets the providers up again with the keys now stored; resolves once they use them. */
  applyKeys(): Promise<void>;
  log: vscode.LogOutputChannel;
  /** The file behind the log channel, to show a request's lines in it. */
  logFile: vscode.Uri;
  statusBar: StatusBar;
  recent: RecentRequests;
  /** "It's Free (Local Server)": a model charged at its vendor's rate on a server on this machine made free there. */
  freeOnLocalServer: FreeOnLocalServer;
  setSnoozed(value: boolean): Promise<void>;
  isSnoozed(): boolean;
  /** The sandbox's fake providers answer (SWITCHBOARD_SIMULATED): Ask's and Plan's signatures say the cost is simulated. */
  simulated: () => boolean;
  /** How a command run from outside Switchboard's own UI asks first (commandConsent.ts); the in-host tests script it. */
  question: () => ConsentQuestion;
}

/** Puts a Consent to the user; true only on its confirm button. */
export interface ConsentQuestion {
  ask(consent: Consent): Thenable<boolean>;
}

export const MODAL_CONSENT_QUESTION: ConsentQuestion = {
  ask: async ({ message, detail, confirm }) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, confirm)) === confirm,
};

/**
 * The actions behind Switchboard's own buttons and quick picks (the budget notification's Allow Once, the status
 * bar's list), called directly: the user's click there is their answer, and no other caller can reach these.
 */
export interface OwnActions {
  allowOnce(): void;
  toggleCompletions(): Promise<void>;
}

/**
 * Said when a key is stored while the sandbox's fakes answer: its User settings point every provider at
 * them, so the key changes nothing that shows, and a newcomer following the walkthrough's first step would be left
 * wondering why the answers are still simulated.
 */
const SIMULATED_KEY_NOTE =
  "Answers stay simulated: this sandbox's settings send every provider's requests to its local fake servers. For real answers with the keys stored here, stop the sandbox and start it again with npm start -- --real.";

/** What Explain Selection asks the chat panel, the selection attached. */
const EXPLAIN_QUESTION = 'Explain the selected code: what it does, how it does it, and anything surprising or risky in it.';

/** Where a task's request would go first, and the budgets, for a question about spending. */
function spendContext(c: CommandContext, task: Task, request?: ModelRequest): SpendContext {
  const { switchboard } = c;
  const budgets = switchboard.budget.gate.statuses();
  const config = switchboard.currentConfig;
  const firstUsable = (route: readonly ModelRef[]) => switchboard.router.eligibility(route).eligible[0];
  if (request) {
    // Routed as the run will route it: under Auto, the tier this very request scores for.
    const routed = switchboard.router.route(task, request);
    const target = firstUsable(routed.models);
    const tier = routed.routing?.mode === 'auto' ? routed.routing.tier : undefined;
    return { ...(target ? { firstModel: formatModelRef(target) } : {}), ...(tier ? { autoTier: tier } : {}), budgets };
  }
  if (config.auto.enabled && isAutoRouted(task)) {
    const cheap = firstUsable(cheapTier(config, task));
    const strong = firstUsable(config.routes[task]);
    return { autoTiers: { ...(cheap ? { cheap: formatModelRef(cheap) } : {}), ...(strong ? { strong: formatModelRef(strong) } : {}) }, budgets };
  }
  const first = firstUsable(config.routes[task]);
  return { ...(first ? { firstModel: formatModelRef(first) } : {}), budgets };
}

export function registerCommands(context: vscode.ExtensionContext, c: CommandContext): OwnActions {
  const register = (id: string, run: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));

  // Confirmed only once the providers use the change: a request made right after the confirmation
  // would otherwise still go with the old key (secret storage reports the change a moment later).
  const confirmKeyChange = async (provider: KeyedProvider, done: string, stored = false) => {
    try {
      await c.applyKeys();
    } catch (error) {
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      void vscode.window.showWarningMessage(plainInNotification(`Switchboard: ${label(provider)} API key ${done}, but the providers could not be set up again: ${message}`));
      return;
    }
    void vscode.window.showInformationMessage(`Switchboard: ${label(provider)} API key ${done}.${stored && c.simulated() ? ` ${SIMULATED_KEY_NOTE}` : ''}`);
  };
  const setKey = async (provider: KeyedProvider) => {
    if (await promptForKey(c.keyStore, provider)) await confirmKeyChange(provider, 'stored in secret storage', true);
  };
  const clearKey = async (provider: KeyedProvider) => {
    const envName = KEYED_PROVIDERS.find((p) => p.id === provider)!.envName;
    if (!(await c.question().ask(clearKeyConsent(label(provider), envName, Boolean(process.env[envName]?.trim()))))) return;
    await c.keyStore.clear(provider);
    await confirmKeyChange(provider, 'removed from secret storage');
  };

  register('switchboard.setApiKey', async () => {
    const pick = await vscode.window.showQuickPick(
      [
        ...KEYED_PROVIDERS.map((p) => ({ label: `$(key) ${p.label}`, description: `or set ${p.envName}`, provider: p.id as KeyedProvider | 'bedrock' })),
        { label: '$(cloud) AWS Bedrock', description: 'uses your AWS profile or SSO login', provider: 'bedrock' as const },
      ],
      // Kept open when focus moves (a walkthrough page taking it late after its button opened this), as the key's input box is.
      { title: 'Switchboard: Set API Key…', placeHolder: 'Which provider?', ignoreFocusOut: true },
    );
    if (!pick) return;
    if (pick.provider === 'bedrock') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'switchboard.providers.bedrock');
      return;
    }
    await setKey(pick.provider);
  });
  register('switchboard.setOpenAIKey', () => setKey('openai'));
  register('switchboard.setAnthropicKey', () => setKey('anthropic'));
  register('switchboard.clearOpenAIKey', () => clearKey('openai'));
  register('switchboard.clearAnthropicKey', () => clearKey('anthropic'));
  register('switchboard.showLog', () => c.log.show());
  register('switchboard.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:switchboard-dev.switchboard'));

  register('switchboard.showRecentRequests', async () => {
    for (;;) {
      const story = await pickRecentRequest(c, own);
      if (!story) return;
      // A request's details, then back to the list if the user asks.
      if (!(await showRequestDetails(story, { logUri: c.logFile, show: () => c.log.show() }, c.freeOnLocalServer))) return;
    }
  });

  register('switchboard.showCosts', () => c.costs.show());
  // The status bar tooltip's link names the model; the command takes only one this window saw charged so.
  register(FREE_ON_LOCAL_SERVER_COMMAND, (ref?: unknown) => c.freeOnLocalServer.markFree(ref));
  register('switchboard.raiseBudget', () => vscode.commands.executeCommand('workbench.action.openGlobalSettings', { query: 'switchboard.budget' }));
  const own: OwnActions = {
    allowOnce: () => {
      // Nothing to allow when no limit refuses now: an allowance primed early would let a later request through unasked.
      const outcome = allowOnceConsent(blockingLimit(c));
      if ('nothing' in outcome) {
        void vscode.window.showInformationMessage(outcome.nothing);
        return;
      }
      c.switchboard.budget.gate.allowOnce();
      c.statusBar.refresh();
      void vscode.window.showInformationMessage('Switchboard: the next request may go past the budget once; ask again.');
    },
    toggleCompletions: async () => {
      // Said once kept: a reload right after the message must not bring back the state before it.
      await c.setSnoozed(!c.isSnoozed());
      void vscode.window.setStatusBarMessage(c.isSnoozed() ? 'Switchboard: inline completions snoozed' : 'Switchboard: inline completions resumed', 3000);
    },
  };
  // The public commands: whoever runs them (the palette, a link, another extension) is asked first.
  register('switchboard.allowOnce', async () => {
    const outcome = allowOnceConsent(blockingLimit(c));
    if ('nothing' in outcome) {
      void vscode.window.showInformationMessage(outcome.nothing);
      return;
    }
    if (await c.question().ask(outcome.consent)) own.allowOnce();
  });
  register('switchboard.toggleCompletions', async () => {
    const consent = resumeCompletionsConsent(c.isSnoozed(), spendContext(c, 'completion'));
    if (consent && !(await c.question().ask(consent))) return;
    await own.toggleCompletions();
  });

  register('switchboard.plan', async (goal?: unknown) => {
    if (refuseInRestrictedMode('Plan') || refuseWithoutProvider('Plan', c.switchboard.registry)) return undefined;
    const consent = promptConsent('Plan', goal, spendContext(c, 'plan'));
    if (consent && !(await c.question().ask(consent))) return undefined;
    return runPlanCommand(c, goal);
  });

  // The editor's context menu passes the URI of the document it was opened on; anything else asks first (explainConsent).
  register('switchboard.explainSelection', async (menuUri?: unknown) => {
    if (refuseInRestrictedMode('Explain Selection') || refuseWithoutProvider('Explain Selection', c.switchboard.registry)) return;
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage('Switchboard: select some code to explain first.');
      return;
    }
    const excluded = exclusionOf(editor.document.uri);
    if (excluded) {
      void vscode.window.showWarningMessage(excludedSelectionNotice(vscode.workspace.asRelativePath(editor.document.uri), excluded));
      return;
    }
    const fromEditorMenu = menuUri instanceof vscode.Uri && menuUri.toString() === editor.document.uri.toString();
    // Named as the panel will route it: the picked model, or Auto's pick for this selection, not the route's first.
    const consent = explainConsent(fromEditorMenu, selectionShown(editor), { budgets: c.switchboard.budget.gate.statuses(), ...c.chat.nextAnswerModel(EXPLAIN_QUESTION, true) });
    if (consent && !(await c.question().ask(consent))) return;
    await c.chat.ask(EXPLAIN_QUESTION, true);
  });

  register('switchboard.sendToChat', async () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !document.getText().trim()) {
      void vscode.window.showInformationMessage('Switchboard: open a plan (or any document) to continue it in the chat.');
      return;
    }
    const path = documentPathForPrompt(document.uri);
    const excluded = exclusionOf(document.uri);
    if (excluded) {
      void vscode.window.showWarningMessage(excludedDocumentNotice(path, excluded));
      return;
    }
    const firstLine = document.lineAt(0).text.replace(/^[#>]+\s*/, '').trim();
    await c.chat.continueFrom(
      { title: firstLine || path, path, languageId: document.languageId, text: redactSecrets(document.getText()) },
      c.documents.footerOf(document),
    );
  });
  register('switchboard.newChat', () => c.chat.newChat());
  register('switchboard.showConversations', () => c.chat.showConversations());

  register('switchboard.ask', async (question?: unknown) => {
    if (refuseInRestrictedMode('Ask') || refuseWithoutProvider('Ask', c.switchboard.registry)) return;
    // Text handed to the command was not typed by the user here: asked about first, naming it, the model and the budget.
    const maxTokens = c.switchboard.currentConfig.chat.maxTokens;
    const consent = promptConsent('Ask', question, spendContext(c, 'chat', typeof question === 'string' ? chatRequest(question, maxTokens) : undefined));
    if (consent && !(await c.question().ask(consent))) return;
    const prompt =
      typeof question === 'string'
        ? question
        : await vscode.window.showInputBox({ title: 'Switchboard: Ask', prompt: 'Asked on the chat route; the answer opens in a new editor.', ignoreFocusOut: true });
    if (!prompt?.trim()) return;
    const outcome = await streamIntoNewDocument(c, {
      title: 'Ask',
      task: 'chat',
      prepare: () => ({ heading: `> ${prompt.trim().split('\n').join('\n> ')}\n\n`, request: chatRequest(prompt, c.switchboard.currentConfig.chat.maxTokens) }),
      finish: ({ document, result }) => c.documents.remember(document, answerFooter(result), false),
    });
    return outcome;
  });
  return own;
}

/** What Explain Selection would attach from `editor`, for its question (the attachment is cut at MAX_ATTACHED_CHARS). */
function selectionShown(editor: vscode.TextEditor): SelectionShown {
  const { document, selection } = editor;
  // A selection ending at the start of a line does not take that line, as the attachment's label says.
  const lastLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  const chars = document.offsetAt(selection.end) - document.offsetAt(selection.start);
  return { path: documentPathForPrompt(document.uri), lines: { from: selection.start.line + 1, to: lastLine + 1 }, chars: Math.min(chars, MAX_ATTACHED_CHARS) };
}

/** The limit that refuses requests now, when the budget's action is to block them. */
function blockingLimit(c: CommandContext) {
  if (c.switchboard.currentConfig.budget.action !== 'block') return undefined;
  return c.switchboard.budget.gate.statuses().find((status) => status.level === 'reached');
}

/** The recent requests and the actions; runs a picked action, returns a picked request. */
async function pickRecentRequest(c: CommandContext, own: OwnActions): Promise<RequestStory | undefined> {
  type Item = vscode.QuickPickItem & { action?: string; run?: () => void; story?: RequestStory };
  const stories = c.recent.list();
  const items: Item[] = [
    { label: 'Recent requests', kind: vscode.QuickPickItemKind.Separator },
    ...(stories.length ? stories.map((story) => ({ ...recentRequestItem(story.record), story })) : [{ label: 'No requests yet in this window' }]),
    { label: 'Actions', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(graph) Show Costs', description: 'spend over time, what routing saved, the costliest requests', action: 'switchboard.showCosts' },
    ...budgetActions(c, own),
    ...(isRestricted() ? [{ label: '$(shield) Manage Workspace Trust', description: 'Restricted Mode: nothing is sent to a model', action: MANAGE_TRUST_COMMAND }] : []),
    { label: '$(gear) Open Settings', action: 'switchboard.openSettings' },
    { label: '$(key) Set API Key…', action: 'switchboard.setApiKey' },
    { label: '$(output) Open Log', action: 'switchboard.showLog' },
    { label: c.isSnoozed() ? '$(play) Resume Inline Completions' : '$(debug-pause) Snooze Inline Completions', run: own.toggleCompletions },
  ];
  const today = c.switchboard.spend.today();
  const pick = await vscode.window.showQuickPick(items, {
    title: `Switchboard · today ${today.total.requests} requests`,
    placeHolder: 'Pick a request for its details (model, route, why, fallbacks, tokens, cost, latency), or an action',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  pick?.run?.();
  if (pick?.action) await vscode.commands.executeCommand(pick.action);
  return pick?.story;
}

/** Raise Budget and Allow Once, while a limit is near or reached. */
function budgetActions(c: CommandContext, own: OwnActions): (vscode.QuickPickItem & { action?: string; run?: () => void })[] {
  const status = c.switchboard.budget.gate.mostPressing();
  if (!status) return [];
  const items: (vscode.QuickPickItem & { action?: string; run?: () => void })[] = [
    { label: '$(arrow-up) Raise Budget…', description: `${status.limit.label}: switchboard.${status.limit.setting}`, action: 'switchboard.raiseBudget' },
  ];
  if (status.level === 'reached' && c.switchboard.currentConfig.budget.action === 'block') {
    items.push({ label: '$(unlock) Allow Once', description: 'let the next request past the limit', run: own.allowOnce });
  }
  return items;
}

function label(provider: KeyedProvider): string {
  return KEYED_PROVIDERS.find((p) => p.id === provider)!.label;
}
