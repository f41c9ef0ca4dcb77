/** The slice of VS Code's global state (Memento) the confirmations are kept in. */
export interface ConfirmationState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/**
 * What a question asked once per window and remembered once confirmed needs from the host (envServerConsent.ts,
 * containerSettingsConsent.ts). No `vscode` import: the host passes its pieces in.
 */
export interface ConsentDeps {
  /** vscode.env.remoteName where the extension host runs remotely (its environment then is not the user's shell's). */
  remoteName: string | undefined;
  state: ConfirmationState;
  ask(message: string, ...buttons: string[]): Thenable<string | undefined>;
  log(line: string): void;
  /** After an answer: settings are read again, with what was confirmed used and what was not left out. */
  answered(): void;
}

/** Enough for the containers one person works in; the oldest confirmation goes first. */
const MAX_CONFIRMED = 20;

/**
 * What the user confirmed once for good (an address, a container's settings), kept in global state under `key` so
 * it holds across windows and restarts: most recent last, at most twenty. What is stored there is read as untrusted:
 * anything but a list of strings counts as nothing confirmed.
 */
export class RememberedConfirmations {
  constructor(
    private readonly state: ConfirmationState,
    private readonly key: string,
  ) {}

  all(): string[] {
    const value = this.state.get<unknown>(this.key);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  }

  includes(id: string): boolean {
    return this.all().includes(id);
  }

  /** Remembers `id` as the most recent, dropping the oldest past the limit. */
  async add(id: string): Promise<void> {
    await this.state.update(this.key, [...this.all().filter((known) => known !== id), id].slice(-MAX_CONFIRMED));
  }
}
