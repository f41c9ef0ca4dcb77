import * as vscode from 'vscode';
import { redactUrl } from '../core/redactUrl';
import { findApiKey, type KeyStore } from '../core/credentials';
import { OPENAI_BASE_URL_ENV, offerableEnvServer } from '../core/envBaseUrl';
import { generativeModels, listServerModels, localRoute, suggestLocalRoutes, tasksNeedingLocalModels, type LocalRoute } from '../core/localModels';
import type { SettingKey } from '../core/config';
import type { Task } from '../core/types';
import { isHttpUrl } from '../core/urls';
import { openAiServerUrlProblem } from '../core/requestPathUrl';
import { plainInNotification } from './notificationText';
import { usersOwnRoutes } from './settingsPolicy';

/**
 * After a local OpenAI-compatible server is set (by Use a Local Server, or by editing the setting), asks it for
 * its models and offers to route to them: the default routes name OpenAI's models, which it does not serve.
 * Writes User settings only (a workspace must not pick where the user's code goes), and only what the user picks.
 */

const BASE_URL_KEY = 'providers.openai.baseUrl';
const TASK_NAMES: Record<Task, string> = { completion: 'inline completions', chat: 'chat', plan: 'plan' };

/** The servers users most often run, with the address each listens on out of the box. */
const KNOWN_SERVERS = 'Ollama http://localhost:11434/v1 · LM Studio http://localhost:1234/v1 · vLLM http://localhost:8000/v1 · llama.cpp http://localhost:8080/v1';

const OFFER_BUTTON = 'Choose Models…';
const KEEP_ROUTES = 'Keep my routes';

export interface LocalServerDeps {
  keyStore: KeyStore;
  env: NodeJS.ProcessEnv;
  /** The routes in effect, `provider:model` per task. */
  routes(): Record<Task, readonly string[]>;
  /** Hosts besides OpenAI's own that the user allowed the OpenAI key to go to (providers.openai.sendKeyTo). */
  sendKeyTo(): readonly string[];
  /** A remote window: its loopback is the remote's, which gets no key unless allowed (core/remoteWindow.ts). */
  remoteLoopback(): boolean;
  log: vscode.LogOutputChannel;
  /** The OPENAI_BASE_URL server last offered at a start, kept across windows and restarts so that it is asked once. */
  environmentOffered: { get(): string | undefined; set(url: string): Thenable<void> };
  /** Settings whose User-layer value is an unconfirmed container's (containerSettingsConsent.ts): not the user's routes. */
  heldFromContainer(): ReadonlySet<SettingKey>;
  /** A remote window: whether the user confirmed OPENAI_BASE_URL's address (envServerConsent.ts); undefined on a desktop window. */
  environmentServerConfirmed?: (url: string) => boolean;
}

/** The User setting's server, trimmed; undefined when unset or not an http(s) URL (its own warning covers that). */
function userBaseUrl(): string | undefined {
  const value = userBaseUrlText();
  return value && isHttpUrl(value) ? value : undefined;
}

function userBaseUrlText(): string {
  return vscode.workspace.getConfiguration('switchboard').inspect<string>(BASE_URL_KEY)?.globalValue?.trim() ?? '';
}

export class LocalServerOffer {
  /** The server last offered, so that one change (VS Code may send several events for it) asks once. */
  private offered: string | undefined;
  /** The server Use a Local Server just wrote: its change event goes straight to the pick, the user asked already. */
  private written: string | undefined;

  /** The server OpenAI requests go to as of the last look: the setting's, else OPENAI_BASE_URL's (see core/envBaseUrl.ts). */
  private inEffect: string | undefined;

  constructor(private readonly deps: LocalServerDeps) {
    this.offered = userBaseUrl();
    this.inEffect = this.serverInEffect();
  }

  /** The environment's server, when it is the one in effect and (in a remote window) confirmed (core/envBaseUrl.ts). */
  private environmentServer(): string | undefined {
    return offerableEnvServer(this.deps.env, userBaseUrlText(), this.deps.environmentServerConfirmed);
  }

  private serverInEffect(): string | undefined {
    return userBaseUrl() ?? this.environmentServer();
  }

  /**
   * On a settings change: a new server in the User setting gets the offer; so does the OPENAI_BASE_URL server when
   * clearing the setting hands requests back to it. The start's once-per-address memory does not hold that back:
   * the user has just changed where requests go, and the routes may have been written for the server they cleared
   * since it was last offered. As any offer, it speaks only when the routes name none of the server's models.
   */
  onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(`switchboard.${BASE_URL_KEY}`)) return;
    const before = this.inEffect;
    this.inEffect = this.serverInEffect();
    const url = userBaseUrl();
    const environment = this.environmentServer();
    if (url === undefined && environment !== undefined && environment !== before) {
      this.offered = undefined;
      void this.offer(environment, false, 'environment');
      return;
    }
    if (url === undefined || url === this.offered) {
      this.offered = url;
      return;
    }
    this.offered = url;
    const asked = this.written === url;
    this.written = undefined;
    void this.offer(url, asked);
  }

  /**
   * The Use a Local Server command: asks for the server's address (the current one, else Ollama's), writes it to
   * User settings, and offers its models; an unchanged address is offered again at once (no change event comes).
   */
  async useLocalServer(): Promise<void> {
    const current = userBaseUrl();
    // The server the environment already names (OPENAI_BASE_URL) is the likeliest one; written, the setting takes over.
    const fromEnv = this.deps.env[OPENAI_BASE_URL_ENV]?.trim();
    const value = await vscode.window.showInputBox({
      title: 'Switchboard: Local server address',
      prompt: `The OpenAI-compatible address, ending in /v1. ${KNOWN_SERVERS}`,
      value: current ?? (fromEnv && isHttpUrl(fromEnv) ? fromEnv : 'http://localhost:11434/v1'),
      ignoreFocusOut: true,
      // An address pasted with a request's path on it (`…/v1/chat/completions`) or an Azure deployment's URL: said here
      // with the one to write, before it is written to settings that would then refuse it.
      validateInput: (text) => {
        if (!isHttpUrl(text.trim())) return 'An http:// or https:// address, e.g. http://localhost:11434/v1';
        const pasted = openAiServerUrlProblem(text.trim(), 'openai');
        return pasted ? `This address ${pasted}` : undefined;
      },
    });
    const url = value?.trim();
    if (!url) return;
    if (url === current) {
      await this.offer(url, true);
      return;
    }
    // The change event then makes the offer.
    this.written = url;
    await vscode.workspace.getConfiguration('switchboard').update(BASE_URL_KEY, url, vscode.ConfigurationTarget.Global);
  }

  /**
   * At a start with the server from OPENAI_BASE_URL (no setting): the user saw no offer when they set the variable,
   * and the default routes name OpenAI's models, which it answers "model not found". Offered once per address;
   * a server not up yet when VS Code starts is only logged (requests to it say so themselves).
   */
  async offerForEnvironment(baseUrl: string): Promise<void> {
    if (this.deps.environmentOffered.get() === baseUrl) return;
    await this.offer(baseUrl, false, 'environment');
  }

  /** Asks the server for its models and, when the routes name none of them, offers routes that do. */
  async offer(baseUrl: string, askedByUser: boolean, from: 'setting' | 'environment' = 'setting'): Promise<void> {
    const apiKey = await findApiKey('openai', this.deps.env, this.deps.keyStore);
    // The setting's server as the environment's: in a remote window `localhost` is the remote machine.
    const remoteLoopback = this.deps.remoteLoopback();
    const listed = await listServerModels(baseUrl, { ...(apiKey ? { apiKey } : {}), sendKeyTo: this.deps.sendKeyTo(), remoteLoopback });
    if ('problem' in listed) {
      this.deps.log.warn(`local server: ${listed.problem}`);
      if (from === 'environment') return;
      const retry = 'Retry';
      // The URL is the user's, but the problem quotes the network's error text: no link may come of it.
      const choice = await vscode.window.showWarningMessage(
        plainInNotification(`Switchboard could not read the models of the server in switchboard.providers.openai.baseUrl: ${listed.problem}. Start the server (or correct the address), then Retry.`),
        retry,
        'Open Settings',
      );
      if (choice === retry) await this.offer(baseUrl, askedByUser);
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', `switchboard.${BASE_URL_KEY}`);
      return;
    }
    this.deps.log.info(`local server: ${listed.url} lists ${listed.ids.length} model(s): ${listed.ids.slice(0, 20).join(', ')}`);
    const suggested = suggestLocalRoutes(listed.ids);
    if (!suggested) {
      // Said once for the environment's server too, not at every start.
      if (from === 'environment') await this.deps.environmentOffered.set(baseUrl);
      void vscode.window.showWarningMessage(
        plainInNotification(`Switchboard: ${listed.url} lists only models that cannot chat (${listed.ids.slice(0, 10).join(', ')}). Pull or load a chat model in the server, then run Switchboard: Use a Local Server… again.`),
      );
      return;
    }
    const tasks = tasksNeedingLocalModels(this.deps.routes(), listed.ids);
    if (tasks.length === 0) {
      if (askedByUser) void vscode.window.showInformationMessage(plainInNotification(`Switchboard: every route already names a model ${listed.url} lists; your routes are kept.`));
      return;
    }
    if (!askedByUser) {
      const named = tasks.map((task) => TASK_NAMES[task]).join(', ');
      if (from === 'environment') await this.deps.environmentOffered.set(baseUrl);
      const where = from === 'environment' ? ' (your OPENAI_BASE_URL environment variable)' : '';
      const choice = await vscode.window.showInformationMessage(
        plainInNotification(`Switchboard: the server at ${redactUrl(baseUrl)}${where} serves ${listed.ids.length === 1 ? listed.ids[0] : `${listed.ids.length} models`}, but your routes for ${named} name none of them ("model not found"). Route them to its models?`),
        OFFER_BUTTON,
        KEEP_ROUTES,
      );
      if (choice !== OFFER_BUTTON) return;
    }
    await this.pickAndWrite(tasks, suggested, listed.ids);
  }

  private async pickAndWrite(tasks: Task[], suggested: Record<Task, string>, ids: string[]): Promise<void> {
    type Item = vscode.QuickPickItem & { routes?: Partial<Record<Task, string>>; fallbacks?: boolean };
    const own = userRoutes(this.deps.heldFromContainer());
    const plan = (models: Partial<Record<Task, string>>) => routeLabel(tasks, models);
    const written = (models: Partial<Record<Task, string>>, fallbacks: boolean) =>
      tasks.map((task) => ({ task, ...localRoute(fallbacks ? (own[task] ?? []) : [], models[task]!, ids) }));
    const suggestion = Object.fromEntries(tasks.map((task) => [task, suggested[task]])) as Partial<Record<Task, string>>;
    const suggestedRoutes = written(suggestion, true);
    const keepsFallbacks = suggestedRoutes.some((route) => route.kept.length > 0);
    const items: Item[] = [
      { label: plan(suggestion), description: 'suggested', detail: fallbackNote(suggestedRoutes), routes: suggestion, fallbacks: true },
      // The user may have chosen the server to keep code on this machine: their cloud fallbacks can be left out.
      ...(keepsFallbacks ? [{ label: `${plan(suggestion)}, no fallbacks`, description: 'nothing else is asked when the server fails', routes: suggestion, fallbacks: false }] : []),
      ...generativeModels(ids)
        .filter((id) => !tasks.every((task) => suggestion[task] === id))
        .map((id) => {
          const routes = Object.fromEntries(tasks.map((task) => [task, id])) as Partial<Record<Task, string>>;
          return { label: plan(routes), detail: fallbackNote(written(routes, true)), routes, fallbacks: true };
        }),
      { label: KEEP_ROUTES, description: 'change nothing' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Switchboard: Route to the local server',
      placeHolder: 'Written to your User settings (switchboard.routes.*), your own fallbacks kept after the model; other tasks keep their routes',
      ignoreFocusOut: true,
    });
    if (!picked?.routes) return;
    const config = vscode.workspace.getConfiguration('switchboard');
    const routes = written(picked.routes, picked.fallbacks === true);
    for (const { task, route } of routes) await config.update(`routes.${task}`, route, vscode.ConfigurationTarget.Global);
    const settings = tasks.map((task) => `switchboard.routes.${task}`).join(', ');
    const note = fallbackNote(routes);
    this.deps.log.info(`local server: wrote ${settings} to User settings: ${routes.map(({ task, route }) => `${task} ${JSON.stringify(route)}`).join(', ')}`);
    void vscode.window.showInformationMessage(plainInNotification(`Switchboard: ${picked.label}. Written to ${settings} in your User settings${note ? ` (${note})` : ''}.`));
  }
}

/**
 * The routes the user wrote in User settings, per task. Only these count as the user's fallbacks: a workspace's
 * route, or an unconfirmed container's, is not theirs to copy into User settings, and the default routes' cloud
 * models are nobody's choice to keep behind a local server (they would take the code off this machine when the
 * server fails).
 */
function userRoutes(fromContainer: ReadonlySet<SettingKey>): Partial<Record<Task, string[]>> {
  const configuration = vscode.workspace.getConfiguration('switchboard');
  return usersOwnRoutes((key) => configuration.inspect(key), fromContainer);
}

/** "then your fallback anthropic:claude-opus-5; openai:gpt-5.5 dropped (not on this server)", or nothing to say. */
function fallbackNote(routes: readonly (LocalRoute & { task: Task })[]): string | undefined {
  const kept = [...new Set(routes.flatMap((route) => route.kept))];
  const dropped = [...new Set(routes.flatMap((route) => route.dropped))];
  const parts = [
    ...(kept.length ? [`then your fallback${kept.length === 1 ? '' : 's'} ${kept.join(', ')}`] : []),
    ...(dropped.length ? [`${dropped.join(', ')} dropped (not on this server)`] : []),
  ];
  return parts.length ? parts.join('; ') : undefined;
}

/** "Route inline completions / chat / plan to llama3.1", or per task when they differ. */
function routeLabel(tasks: readonly Task[], models: Partial<Record<Task, string>>): string {
  const distinct = new Set(tasks.map((task) => models[task]));
  if (distinct.size === 1) return `Route ${tasks.map((task) => TASK_NAMES[task]).join(' / ')} to ${models[tasks[0]!]}`;
  return `Route ${tasks.map((task) => `${TASK_NAMES[task]} to ${models[task]}`).join(', ')}`;
}
