/** Types for server.mjs, so TypeScript tests can start VS Code. */
export interface StartVSCodeServerOptions {
  /** Folder the workbench opens. */
  workspace: string;
  /** Folder holding the extension's package.json. */
  extensionDevelopmentPath: string;
  /** Module exporting run(), executed in the extension host; needs loadExtensionAs 'development'. */
  extensionTestsPath?: string;
  /** 'development' (payload + smoke-test driver, no notification toasts) or 'installed' (as a user has it). */
  loadExtensionAs?: 'development' | 'installed';
  /** Defaults to a free port chosen by the OS. */
  port?: number;
  /**
   * Extra environment for the server and so the extension host; undefined removes a variable.
   * Without it the server gets no OPENAI_*, ANTHROPIC_*, AWS_* variables, HOME = homeDir, TMPDIR in rootDir and
   * SWITCHBOARD_LEDGER = ledgerPath.
   */
  env?: Record<string, string | undefined>;
  /** Written to User/settings.json before start, over the harness's quiet defaults. */
  userSettings?: Record<string, unknown>;
  /**
   * Written to Machine/settings.json before start: the remote machine's settings. The workbench is remote to its
   * server, so settings of `machine` scope are read from here, never from User settings.
   */
  machineSettings?: Record<string, unknown>;
  /** Defaults to true; false opens the folder in Restricted Mode. */
  disableWorkspaceTrust?: boolean;
  /** Server and extension host log level, e.g. 'trace'. */
  logLevel?: string;
  /**
   * A folder kept between runs; default a fresh temp folder removed on stop. Settings survive in it, and the
   * server is put behind a front (secretKeyFront.mjs) that keeps the key sealing the browser's stored secrets,
   * so keys stored with "Set API Key" survive a page reload and a restart on the same port.
   */
  rootDir?: string;
}

export interface VSCodeServer {
  port: number;
  /** Open this in the browser. */
  url: string;
  loadExtensionAs: 'development' | 'installed';
  rootDir: string;
  serverDataDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** <userDataDir>/logs: <timestamp>/remoteagent.log, <timestamp>/exthost1/remoteexthost.log, exthost1/<extension id>/*.log */
  logDir: string;
  /** The HOME the server and extension host see (empty, so no ~/.aws or ~/.config leaks in). */
  homeDir: string;
  /** Where SWITCHBOARD_LEDGER points unless env overrides it. */
  ledgerPath: string;
  /** What the server printed so far. */
  output(): string;
  /** Ends the server and its helpers; keepFiles leaves data and logs in rootDir. */
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}

export function startVSCodeServer(options: StartVSCodeServerOptions): Promise<VSCodeServer>;

export function workbenchUrl(options: { port: number; workspace: string; extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;

export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void;

export function installExtensionByLink(extensionsDir: string, extensionDir: string): void;

export function collectLogs(logDir: string): Promise<{ file: string; text: string }[]>;
