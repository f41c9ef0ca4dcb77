import type * as vscode from 'vscode';
import { formatModelRef } from '../core/modelRef';
import type { ProviderStatus } from '../core/providerRegistry';
import type { Switchboard } from '../core/switchboard';
import type { Task } from '../core/types';
import type { SwitchboardInlineCompletionProvider } from './completionProvider';
import type { Consent } from './commandConsent';
import type { ConsentQuestion } from './commands';
import type { HeldSettings } from './containerSettingsConsent';
import type { EnvServerConsent } from './envServerConsent';
import { allowKeyHost, type KeyHostQuestion } from './keyHosts';
import type { KeyedProvider, SecretKeyStore } from './secrets';
import type { StatusBar } from './statusBar';
import type { StatusView } from './statusModel';

/**
 * What activate() returns to Switchboard's own in-host tests, and only when VS
 * Code runs the extension under its test harness (`ExtensionMode.Test`, which
 * VS Code sets from its launch arguments; no extension can turn it on). In
 * normal use activate() returns nothing, so another extension that calls
 * `getExtension('switchboard-dev.switchboard').exports` gets `undefined`.
 *
 * Even here nothing can read a key: every member is a function that returns
 * plain copied data, none returns or exposes an object that holds a key (the
 * Switchboard, its registry, the SecretStorage), and keys can be written and
 * cleared but never read back.
 */
export interface SwitchboardTestApi {
  /** Resolves when settings or keys have been re-applied after a change. */
  settled(): Promise<void>;
  /** Problems found in the current settings, as shown to the user. */
  settingProblems(): string[];
  statusView(): StatusView | undefined;
  providerStatus(id: string): Pick<ProviderStatus, 'usable' | 'keySource' | 'withheldKeyHost'> | undefined;
  /** What the "Allow for HOST" button of a kept-back key runs (keyHosts.ts), there being no way to click a notification. */
  allowKeyHost(provider: KeyedProvider, host: string): Promise<void>;
  /**
   * Answers the Allow Key for Host command's modal question with `answers` in turn (undefined: Cancel), as the user
   * would; returns the questions as asked. The modal itself is VS Code's, which the test workbench refuses to show.
   */
  answerKeyHostQuestions(answers: (string | undefined)[]): { message: string; detail: string }[];
  /**
   * Answers the questions of commands run from outside Switchboard's own UI (commandConsent.ts) with `answers` in
   * turn (true: the confirm button, false: Cancel), as the user would; returns the questions as asked.
   */
  answerCommandQuestions(answers: boolean[]): Consent[];
  /** What the "Use This Server" button of a remote window's OPENAI_BASE_URL runs (envServerConsent.ts); resolves once applied. */
  useEnvironmentServer(url: string): Promise<void>;
  /** The Machine settings files this window reads for a container's Remote settings (containerSettings.ts), most telling first. */
  containerSettingsFiles(): string[];
  /** The settings held back from a container's Remote settings, and why (undefined outside a container, or once confirmed). */
  containerSettingsHeld(): { keys: string[]; reason?: string };
  /** The task's route as `provider:model` strings. */
  route(task: Task): string[];
  ledgerPath(): string;
  flushLedger(): Promise<void>;
  /** Resolves once the providers use the key, as the Set API Key command does. */
  storeKey(provider: KeyedProvider, key: string): Promise<void>;
  /** Resolves once the providers no longer use the key, as the Clear API Key commands do. */
  clearKey(provider: KeyedProvider): Promise<void>;
  /** What the inline completion provider offers at `position` (its first item's text). */
  inlineCompletion(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<string | undefined>;
  /** Writes a line to the Switchboard log (through the same redaction as every other line). */
  logLine(line: string): void;
  /** The file VS Code writes the Switchboard log to (what a line looks like once written down). */
  logFile(): string;
}

export interface TestApiParts {
  switchboard: Switchboard;
  statusBar: StatusBar;
  completions: SwitchboardInlineCompletionProvider;
  keyStore: SecretKeyStore;
  log: vscode.LogOutputChannel;
  logFile: vscode.Uri;
  applyKeys(): Promise<void>;
  settled(): Promise<void>;
  settingProblems(): string[];
  envServers: EnvServerConsent;
  containerSettingsFiles: readonly string[];
  containerSettingsHeld: () => HeldSettings;
  keyHostQuestion: { current: KeyHostQuestion };
  commandQuestion: { current: ConsentQuestion };
  automaticTrigger: vscode.InlineCompletionTriggerKind;
}

export function createTestApi(parts: TestApiParts): SwitchboardTestApi {
  const { switchboard, statusBar, completions, keyStore, log } = parts;
  const api: SwitchboardTestApi = {
    settled: () => parts.settled(),
    settingProblems: () => [...parts.settingProblems()],
    statusView: () => (statusBar.view ? { ...statusBar.view } : undefined),
    providerStatus: (id) => {
      const status = switchboard.registry.status(id);
      return status
        ? {
            usable: status.usable,
            ...(status.keySource ? { keySource: status.keySource } : {}),
            ...(status.withheldKeyHost ? { withheldKeyHost: status.withheldKeyHost } : {}),
          }
        : undefined;
    },
    allowKeyHost: (provider, host) => allowKeyHost(provider, host),
    answerKeyHostQuestions: (answers) => {
      const asked: { message: string; detail: string }[] = [];
      const queue = [...answers];
      parts.keyHostQuestion.current = {
        ask: async (message, detail) => {
          asked.push({ message, detail });
          return queue.shift();
        },
      };
      return asked;
    },
    answerCommandQuestions: (answers) => {
      const asked: Consent[] = [];
      const queue = [...answers];
      parts.commandQuestion.current = {
        ask: async (consent) => {
          asked.push({ ...consent });
          return queue.shift() ?? false;
        },
      };
      return asked;
    },
    useEnvironmentServer: async (url) => {
      await parts.envServers.confirm(url);
      await parts.settled();
    },
    containerSettingsFiles: () => [...parts.containerSettingsFiles],
    containerSettingsHeld: () => {
      const { keys, reason } = parts.containerSettingsHeld();
      return { keys: [...keys], ...(reason ? { reason } : {}) };
    },
    route: (task) => switchboard.currentConfig.routes[task].map(formatModelRef),
    ledgerPath: () => switchboard.ledgerPath,
    // Served completions are counted per minute; flushing writes the minute's count now.
    flushLedger: () => switchboard.flush(),
    storeKey: async (provider, key) => {
      await keyStore.set(provider, key);
      await parts.applyKeys();
    },
    clearKey: async (provider) => {
      await keyStore.clear(provider);
      await parts.applyKeys();
    },
    inlineCompletion: async (document, position, token) => {
      const items = await completions.provideInlineCompletionItems(document, position, { triggerKind: parts.automaticTrigger, selectedCompletionInfo: undefined }, token);
      const text = items?.[0]?.insertText;
      return typeof text === 'string' ? text : text?.value;
    },
    logLine: (line) => log.info(line),
    logFile: () => parts.logFile.fsPath,
  };
  return Object.freeze(api);
}
