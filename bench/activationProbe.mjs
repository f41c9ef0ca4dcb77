// Loads dist/extension.js in a fresh plain-Node process with a stand-in
// `vscode` module, runs activate(), and prints one JSON line of timings.
// A benchmark harness, not a test: the stand-in implements just enough of the
// API for activate() to run, and answers anything else with no-op functions
// and disposables, so new registrations do not break it.
//
//   node bench/activationProbe.mjs DIST_DIR
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const distDir = path.resolve(process.argv[2] ?? 'dist');
const requireFromDist = createRequire(path.join(distDir, 'extension.js'));

const noop = () => undefined;
const disposable = () => ({ dispose: noop });
/** An event: subscribing returns a disposable, and nothing ever fires. */
const event = () => () => disposable();

/** Anything the stand-in does not know: callable, constructible, and every property is another such value. */
function tolerant(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_target, property) {
      if (property === 'then') return undefined;
      if (property === Symbol.iterator) return function* () {};
      if (property === Symbol.toPrimitive) return () => '';
      if (typeof property === 'symbol') return undefined;
      if (property === 'dispose') return noop;
      if (property.startsWith('onDid') || property.startsWith('onWill')) return event();
      return tolerant(`${name}.${property}`);
    },
    set: () => true,
    apply: () => tolerant(`${name}()`),
    construct: () => tolerant(`new ${name}`),
  });
}

/** A namespace with some real members; unknown ones are tolerant. */
function namespace(name, members) {
  return new Proxy(members, {
    get(target, property) {
      if (property in target) return target[property];
      if (typeof property === 'symbol' || property === 'then') return undefined;
      if (property.startsWith('onDid') || property.startsWith('onWill')) return event();
      return tolerant(`${name}.${property}`);
    },
  });
}

class Disposable {
  constructor(callOnDispose) {
    this.callOnDispose = callOnDispose;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((item) => item?.dispose?.()));
  }
  dispose() {
    this.callOnDispose?.();
  }
}

class EventEmitter {
  listeners = new Set();
  event = (listener) => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value) {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
}

class Range {
  constructor(a, b, c, d) {
    [this.start, this.end] = typeof a === 'number' ? [new Position(a, b), new Position(c, d)] : [a, b];
  }
}

class Uri {
  constructor(scheme, fsPath) {
    this.scheme = scheme;
    this.fsPath = fsPath;
    this.path = fsPath;
  }
  static file(fsPath) {
    return new Uri('file', fsPath);
  }
  static parse(value) {
    return new Uri(value.split(':')[0] ?? 'file', value.replace(/^\w+:\/\//, ''));
  }
  static joinPath(base, ...parts) {
    return new Uri(base.scheme, path.join(base.fsPath, ...parts));
  }
  with() {
    return this;
  }
  toString() {
    return `${this.scheme}://${this.path}`;
  }
}

class MarkdownString {
  constructor(value = '', supportThemeIcons = false) {
    this.value = value;
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(text) {
    this.value += text;
    return this;
  }
  appendText(text) {
    this.value += text;
    return this;
  }
}

class ThemeColor {
  constructor(id) {
    this.id = id;
  }
}

class ThemeIcon {
  constructor(id, color) {
    this.id = id;
    this.color = color;
  }
}

class InlineCompletionItem {
  constructor(insertText, range, command) {
    Object.assign(this, { insertText, range, command });
  }
}

function logChannel(name) {
  return {
    name,
    logLevel: 2,
    onDidChangeLogLevel: event(),
    trace: noop,
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    append: noop,
    appendLine: noop,
    replace: noop,
    clear: noop,
    show: noop,
    hide: noop,
    dispose: noop,
  };
}

function statusBarItem(id, alignment, priority) {
  return { id, alignment, priority, text: '', show: noop, hide: noop, dispose: noop };
}

const vscode = namespace('vscode', {
  version: '1.101.0',
  Disposable,
  EventEmitter,
  Position,
  Range,
  Selection: Range,
  Uri,
  MarkdownString,
  ThemeColor,
  ThemeIcon,
  InlineCompletionItem,
  StatusBarAlignment: { Left: 1, Right: 2 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  window: namespace('window', {
    visibleTextEditors: [],
    activeTextEditor: undefined,
    tabGroups: namespace('tabGroups', { all: [] }),
    createOutputChannel: (name) => logChannel(name),
    createStatusBarItem: statusBarItem,
    setStatusBarMessage: disposable,
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
    registerWebviewViewProvider: disposable,
  }),
  workspace: namespace('workspace', {
    workspaceFolders: undefined,
    workspaceFile: undefined,
    isTrusted: true,
    textDocuments: [],
    getConfiguration: () => ({ get: (_key, fallback) => fallback, has: () => false, inspect: () => undefined, update: async () => undefined }),
    asRelativePath: (value) => String(value),
  }),
  commands: namespace('commands', {
    registerCommand: disposable,
    executeCommand: async () => undefined,
  }),
  languages: namespace('languages', {
    registerInlineCompletionItemProvider: disposable,
  }),
  env: namespace('env', { appName: 'Visual Studio Code (bench stand-in)', language: 'en', machineId: 'bench', uiKind: 1 }),
});

const secrets = { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: event() };
const memento = { get: (_key, fallback) => fallback, update: async () => undefined, keys: () => [], setKeysForSync: noop };
const extensionUri = Uri.file(path.dirname(distDir));
const context = namespace('context', {
  subscriptions: [],
  secrets,
  globalState: memento,
  workspaceState: memento,
  extensionUri,
  extensionPath: extensionUri.fsPath,
  globalStorageUri: Uri.file(path.join(process.env.HOME ?? '/tmp', 'globalStorage')),
  storageUri: undefined,
  logUri: Uri.file(path.join(process.env.HOME ?? '/tmp', 'logs')),
  extensionMode: 1,
  extension: { id: 'switchboard-dev.switchboard', packageJSON: requireFromDist('../package.json'), extensionUri },
  asAbsolutePath: (relative) => path.join(extensionUri.fsPath, relative),
});

// Resolve `vscode` to the stand-in, as the extension host does for extensions.
const VSCODE_ID = '\0vscode-stand-in';
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? VSCODE_ID : resolve.call(this, request, ...rest);
};
requireFromDist.cache[VSCODE_ID] = { id: VSCODE_ID, filename: VSCODE_ID, loaded: true, exports: vscode, children: [], paths: [] };

const cachedBefore = new Set(Object.keys(requireFromDist.cache));
const t0 = performance.now();
const extension = requireFromDist(path.join(distDir, 'extension.js'));
const t1 = performance.now();
await extension.activate(context);
const t2 = performance.now();

const loaded = Object.keys(requireFromDist.cache).filter((file) => !cachedBefore.has(file));
// Bundles loaded on first use: the provider adapters and Auto's scorer (dist/routing.js).
const providersLoaded = loaded.filter((file) => file.startsWith(path.join(distDir, 'providers') + path.sep) || file === path.join(distDir, 'routing.js'));
const sdkLoaded = loaded.filter((file) => /node_modules[\\/](openai|@anthropic-ai[\\/]sdk|@aws-sdk|@smithy)[\\/]/.test(file));

// What the first completion pays later: loading the OpenAI adapter bundle on first use.
const t3 = performance.now();
requireFromDist(path.join(distDir, 'providers', 'openai.js'));
const t4 = performance.now();

process.stdout.write(
  `${JSON.stringify({
    requireMs: t1 - t0,
    activateMs: t2 - t1,
    totalMs: t2 - t0,
    /** Since the process started (Node's own startup included). */
    sinceProcessStartMs: t2,
    modulesLoaded: loaded.length,
    subscriptions: context.subscriptions.length,
    providersLoaded,
    sdkLoaded,
    openaiProviderRequireMs: t4 - t3,
  })}\n`,
);
// activate() may leave timers or file handles (the ledger read); the measurement is done.
process.exit(0);
