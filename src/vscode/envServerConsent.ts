import { OPENAI_BASE_URL_ENV, type EnvBaseUrlConsent } from '../core/envBaseUrl';
import { redactUrl } from '../core/redactUrl';
import { plainInNotification } from './notificationText';
import { RememberedConfirmations, type ConsentDeps } from './rememberedConfirmations';

/**
 * Asks before a remote window's OPENAI_BASE_URL is used (core/envBaseUrl.ts). In a dev container or Codespace the
 * extension host's environment is the repository's (`.devcontainer/devcontainer.json`'s `remoteEnv` and
 * `containerEnv`), so the variable there may be a cloned repository's choice of where prompts and code go. The user
 * confirms each exact address once (kept in global state, so across windows and restarts); a "no", or a question
 * closed unanswered, holds for this window only, so that a changed mind needs no setting to undo. A desktop window's
 * environment is the user's own shell's: no question there. No `vscode` import: the host passes its pieces in.
 */

/** The addresses the user confirmed, most recent last. */
export const CONFIRMED_SERVERS_KEY = 'switchboard.confirmedEnvironmentServers';
export const USE_SERVER = 'Use This Server';
export const DO_NOT_USE = "Don't Use";

/** After an answer, settings are read again, so the server is used or openai stays out with its reason. */
export type EnvServerConsentDeps = ConsentDeps;

export class EnvServerConsent {
  private readonly declined = new Set<string>();
  private readonly asking = new Set<string>();
  private readonly confirmed: RememberedConfirmations;

  constructor(private readonly deps: EnvServerConsentDeps) {
    this.confirmed = new RememberedConfirmations(deps.state, CONFIRMED_SERVERS_KEY);
  }

  /** What readSettings passes on; undefined on a desktop window, where the variable is used as the CLI uses it. */
  get consent(): EnvBaseUrlConsent | undefined {
    return this.deps.remoteName ? (url) => this.answer(url) : undefined;
  }

  /** Whether `url` may be asked anything without a question (Use a Local Server's model listing); undefined on a desktop window. */
  get confirmedCheck(): ((url: string) => boolean) | undefined {
    return this.deps.remoteName ? (url) => this.confirmed.includes(url) : undefined;
  }

  private answer(url: string): 'use' | 'waiting' | 'declined' {
    if (this.confirmed.includes(url)) return 'use';
    if (this.declined.has(url)) return 'declined';
    // Settings are read more than once per change: one question per address at a time.
    if (!this.asking.has(url)) {
      this.asking.add(url);
      void this.ask(url);
    }
    return 'waiting';
  }

  private async ask(url: string): Promise<void> {
    const message = plainInNotification(
      `Switchboard: the ${OPENAI_BASE_URL_ENV} environment variable of this remote window (${this.deps.remoteName}) sends your OpenAI requests, with your prompts and code, to ${redactUrl(url)}. A repository's dev container configuration can set it. Use this server?`,
    );
    let choice: string | undefined;
    try {
      choice = await this.deps.ask(message, USE_SERVER, DO_NOT_USE);
    } finally {
      this.asking.delete(url);
    }
    if (choice === USE_SERVER) {
      await this.confirm(url);
      return;
    }
    this.declined.add(url);
    this.deps.log(`${OPENAI_BASE_URL_ENV}: ${redactUrl(url)} not confirmed${choice === undefined ? ' (the question was closed)' : ''}; openai is left out in this window (Reload Window asks again)`);
    this.deps.answered();
  }

  /** What Use This Server does: remembered for this address, in every window from now on. */
  async confirm(url: string): Promise<void> {
    this.declined.delete(url);
    await this.confirmed.add(url);
    this.deps.log(`${OPENAI_BASE_URL_ENV}: you confirmed ${url}; OpenAI requests go there`);
    this.deps.answered();
  }
}
