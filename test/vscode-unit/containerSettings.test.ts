import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveConfig, SETTING_DEFAULTS, SETTING_KEYS, type SettingKey } from '../../src/core/config';
import { PriceTable } from '../../src/core/prices/priceTable';
import { limitWorkspaceSpend } from '../../src/core/workspaceLimits';
import { Switchboard } from '../../src/core/switchboard';
import { isContainerRemote, machineSettingsFiles, readContainerSettings, UNPARSED_VALUE, withoutHeldVariables } from '../../src/vscode/containerSettings';
import { CONFIRMED_CONTAINER_SETTINGS_KEY, ContainerSettingsConsent, DO_NOT_USE_SETTINGS, USE_SETTINGS } from '../../src/vscode/containerSettingsConsent';
import { layeredSettings, limitsBySource, remoteSettingsCanSet, usersOwnRoutes, type InspectedSetting } from '../../src/vscode/settingsPolicy';

/** What a devcontainer.json's customizations.vscode.settings leaves in the server's Machine settings file, as it writes it. */
const MACHINE_SETTINGS = `{
  // Written by the Dev Containers extension from customizations.vscode.settings
  "editor.tabSize": 2,
  "switchboard.providers.openai.baseUrl": "http://attacker.example/v1",
  "switchboard.budget": { "dailyUsd": 500 },
  "switchboard.providers": { "custom": { "gpu": { "type": "openai", "baseUrl": "http://attacker.example/v1" } } },
  "switchboard.timeouts.firstTokenMs": 150,
}
`;
/**
 * What VS Code applies of it, and so what Switchboard holds: machine- and window-scoped settings. The application-scoped
 * ones (the server, the budget) VS Code takes from the user's own User settings alone, so they do nothing here.
 */
const FROM_CONTAINER: Partial<Record<SettingKey, unknown>> = {
  'providers.custom': { gpu: { type: 'openai', baseUrl: 'http://attacker.example/v1' } },
  'timeouts.firstTokenMs': 150,
};
/** The user's own User settings, which VS Code still reports in the container for application-scoped settings. */
const USERS_OWN: Partial<Record<SettingKey, unknown>> = { 'providers.openai.baseUrl': 'http://localhost:11434/v1', 'budget.dailyUsd': 5 };

/** VS Code's global state as a Memento behaves: a map that outlives a window. */
function memento() {
  const values = new Map<string, unknown>();
  return { get: <T>(key: string) => values.get(key) as T | undefined, update: async (key: string, value: unknown) => void values.set(key, value), values };
}

/** inspect() as VS Code answers it in a container: the Machine settings file's values merged into globalValue. */
function inspector(globalValues: Partial<Record<SettingKey, unknown>>) {
  return (key: SettingKey): InspectedSetting => (key in globalValues ? { globalValue: globalValues[key] } : {});
}

describe("a container's Remote (Machine) settings", () => {
  let root: string;
  /** A server data folder laid out as VS Code's server lays it out, and the extension's global storage in it. */
  let dataFolder: string;
  let globalStoragePath: string;
  let home: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'switchboard-container-settings-'));
    dataFolder = path.join(root, 'server-data', 'data');
    globalStoragePath = path.join(dataFolder, 'User', 'globalStorage', 'switchboard.switchboard');
    mkdirSync(globalStoragePath, { recursive: true });
    mkdirSync(path.join(dataFolder, 'Machine'), { recursive: true });
    home = path.join(root, 'home');
    mkdirSync(home);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const writeMachineSettings = (text: string) => writeFileSync(path.join(dataFolder, 'Machine', 'settings.json'), text);

  it('holds every Switchboard setting from a file it cannot parse, which VS Code may still read (a missing comma, an escaped key)', () => {
    // VS Code's settings reader recovers from the missing comma and takes the escaped key as switchboard.providers.openai.baseUrl.
    writeMachineSettings('{\n  "\\u0073witchboard.providers.openai.baseUrl": "http://attacker.example/v1"\n  "editor.tabSize": 2\n}\n');
    const files = machineSettingsFiles({ globalStoragePath, env: {}, home });
    const held = readContainerSettings(files);
    // Every one such a file could set: not the application-scoped ones, which VS Code never takes from it.
    assert.deepEqual(held?.values.map(([key]) => key), SETTING_KEYS.filter(remoteSettingsCanSet));
    assert.ok(!held?.values.some(([key]) => key === 'budget.dailyUsd' || key === 'providers.openai.baseUrl'));
    assert.ok(held?.values.every(([, value]) => value === UNPARSED_VALUE));
    // An empty file sets nothing.
    writeMachineSettings('');
    assert.equal(readContainerSettings(files), undefined);
  });

  it('holds only in container windows: Dev Containers (opened, attached, Kubernetes) and Codespaces, not SSH, WSL or a desktop window', () => {
    for (const name of ['dev-container', 'attached-container', 'k8s-container', 'codespaces', 'vsonline']) assert.equal(isContainerRemote(name), true, name);
    for (const name of ['ssh-remote', 'wsl', 'tunnel', undefined]) assert.equal(isContainerRemote(name), false, String(name));
  });

  it('counts an SSH window as a container when it is DevPod\'s (DEVPOD, REMOTE_CONTAINERS, a .devpod host, plain or hex-encoded) or a Codespace\'s', () => {
    const hexHost = (hostName: string) => `ssh-remote+${Buffer.from(JSON.stringify({ hostName })).toString('hex')}`;
    for (const [env, authority] of [
      [{ DEVPOD: 'true' }, 'ssh-remote+gpu-box'],
      [{ REMOTE_CONTAINERS: 'true' }, undefined],
      [{ CODESPACES: 'true' }, undefined],
      [{}, 'ssh-remote+cloned-repo.devpod'],
      [{}, 'ssh-remote+Cloned-Repo.DevPod'],
      [{}, hexHost('cloned-repo.devpod')],
    ] as const) {
      assert.equal(isContainerRemote('ssh-remote', env, authority), true, `${JSON.stringify(env)} ${authority}`);
    }
    for (const [env, authority] of [
      [{}, 'ssh-remote+gpu-box'],
      [{ DEVPOD: 'false' }, 'ssh-remote+devpod.example.com'],
      [{}, hexHost('gpu-box')],
      [{}, 'ssh-remote+7b7d'],
      [{}, 'ssh-remote+7bzz.devpod.internal'],
    ] as const) {
      assert.equal(isContainerRemote('ssh-remote', env, authority), false, `${JSON.stringify(env)} ${authority}`);
    }
    // Only an SSH window: WSL with the variables is the user's own machine.
    assert.equal(isContainerRemote('wsl', { DEVPOD: 'true' }, 'wsl+Ubuntu'), false);
  });

  it('finds the Machine settings beside the extension\'s global storage first, then VSCODE_AGENT_FOLDER\'s and the default server folders', () => {
    const agent = path.join(root, 'agent');
    const files = machineSettingsFiles({ globalStoragePath, env: { VSCODE_AGENT_FOLDER: agent }, home });
    assert.deepEqual(files, [
      path.join(dataFolder, 'Machine', 'settings.json'),
      path.join(agent, 'data', 'Machine', 'settings.json'),
      path.join(home, '.vscode-server', 'data', 'Machine', 'settings.json'),
      path.join(home, '.vscode-server-insiders', 'data', 'Machine', 'settings.json'),
      path.join(home, '.vscode-remote', 'data', 'Machine', 'settings.json'),
    ]);
    // A global storage not laid out as the server's (a desktop profile's, say) names no Machine folder of its own.
    assert.equal(machineSettingsFiles({ globalStoragePath: path.join(root, 'elsewhere'), env: {}, home }).length, 3);
  });

  it('reads the Switchboard settings of a real file in every shape VS Code accepts, and nothing from a missing file or one without them', () => {
    writeMachineSettings(MACHINE_SETTINGS);
    const files = machineSettingsFiles({ globalStoragePath, env: {}, home });
    const found = readContainerSettings(files);
    assert.deepEqual(found?.files, [path.join(dataFolder, 'Machine', 'settings.json')]);
    assert.deepEqual(Object.fromEntries(found!.values), FROM_CONTAINER);
    // A Codespace's file under ~/.vscode-remote counts as well.
    mkdirSync(path.join(home, '.vscode-remote', 'data', 'Machine'), { recursive: true });
    writeFileSync(path.join(home, '.vscode-remote', 'data', 'Machine', 'settings.json'), '{"switchboard": {"ledger": {"path": "/tmp/elsewhere.jsonl"}}}');
    assert.equal(Object.fromEntries(readContainerSettings(files)!.values)['ledger.path'], '/tmp/elsewhere.jsonl');
    writeMachineSettings('{ "editor.tabSize": 2 }');
    rmSync(path.join(home, '.vscode-remote'), { recursive: true });
    assert.equal(readContainerSettings(files), undefined);
  });

  /** One window: `answers` are what the user clicks, in order; `answered()` resolves once the answer was applied. */
  function window(state: ReturnType<typeof memento>, remoteName: string | undefined, answers: (string | undefined)[], container = '/workspaces/cloned-repo', env: NodeJS.ProcessEnv = {}, authority?: string) {
    const asked: { message: string; buttons: string[] }[] = [];
    const log: string[] = [];
    let settle: () => void = () => undefined;
    let answered = new Promise<void>((resolve) => (settle = resolve));
    const consent = new ContainerSettingsConsent({
      remoteName,
      container,
      files: machineSettingsFiles({ globalStoragePath, env: {}, home }),
      env,
      ...(authority !== undefined ? { authority } : {}),
      state,
      ask: async (message, ...buttons) => {
        asked.push({ message, buttons });
        return answers.shift();
      },
      log: (line) => log.push(line),
      answered: () => {
        settle();
        answered = new Promise<void>((resolve) => (settle = resolve));
      },
    });
    return { consent, asked, log, answered: () => answered };
  }

  /** As readSettings composes them: the layers, the config, and the workspace limits against what the user has without. */
  function settingsWith(held: ReadonlySet<SettingKey>, globalValues: Partial<Record<SettingKey, unknown>>, inspect = inspector(globalValues)) {
    const layered = layeredSettings(inspect, true, held);
    const own = resolveConfig(layered.userRaw).config;
    const limited = limitWorkspaceSpend(own, resolveConfig(layered.raw).config, new Set([...layered.fromWorkspace, ...layered.fromContainer]), new PriceTable(own.prices));
    return { ...layered, config: limited.config, limits: limited.limits, bySource: limitsBySource(limited.limits, layered) };
  }

  it('until confirmed, a dev container\'s settings leave the user-only ones at their defaults and the others only where they cannot raise spend; after "Use These Settings" they apply, in later windows too', async () => {
    writeMachineSettings(MACHINE_SETTINGS);
    const state = memento();
    const first = window(state, 'dev-container', [USE_SETTINGS]);
    const answered = first.answered();
    const held = first.consent.held();
    assert.deepEqual([...held.keys].sort(), Object.keys(FROM_CONTAINER).sort());
    assert.match(held.reason!, /switchboard\.providers\.custom.*not yet confirmed: those only your own settings may set keep their defaults, the others count only where they cannot raise what you spend/);

    const before = settingsWith(held.keys, { ...FROM_CONTAINER, ...USERS_OWN });
    assert.deepEqual(before.config.providers.custom, resolveConfig({}).config.providers.custom, 'the container added no provider');
    assert.deepEqual(before.heldFromContainer, ['providers.custom']);
    // A shorter wait than the default could add spend (a cut request is billed, then the next model asked): kept at the default.
    assert.equal(before.config.timeouts.firstTokenMs, SETTING_DEFAULTS['timeouts.firstTokenMs']);
    assert.deepEqual(before.limits.map((limit) => limit.key), ['timeouts.firstTokenMs']);
    // The user's own settings, which the container's file does not set, are untouched.
    assert.equal(before.config.providers.openai.baseUrl, 'http://localhost:11434/v1');
    assert.equal(before.config.budget.dailyUsd, 5);

    // The question names the settings, the container, the values and what each does meanwhile.
    assert.equal(first.asked.length, 1);
    assert.deepEqual(first.asked[0]!.buttons, [USE_SETTINGS, DO_NOT_USE_SETTINGS]);
    assert.match(first.asked[0]!.message, /dev-container, \/workspaces\/cloned-repo/);
    assert.match(first.asked[0]!.message, /switchboard\.providers\.custom = \{"gpu":\{"type":"openai","baseUrl":"http:\/\/attacker\.example\/v1"\}\} \(its default until you confirm\)/);
    assert.match(first.asked[0]!.message, /switchboard\.timeouts\.firstTokenMs = 150 \(until you confirm, only where it cannot raise what you spend, as a workspace's value\)/);

    await answered;
    assert.equal(first.consent.held().keys.size, 0);
    const after = settingsWith(first.consent.held().keys, { ...FROM_CONTAINER, ...USERS_OWN });
    assert.deepEqual(Object.keys(after.config.providers.custom), ['gpu']);
    assert.equal(after.config.timeouts.firstTokenMs, 150);

    // Another window of the same container: confirmed, not asked.
    const second = window(state, 'dev-container', []);
    assert.equal(second.consent.held().keys.size, 0);
    assert.equal(second.asked.length, 0);

    // A changed value, or the same values in another repository's container, asks again.
    writeMachineSettings(MACHINE_SETTINGS.replace('firstTokenMs": 150', 'firstTokenMs": 250'));
    const changed = window(state, 'dev-container', [undefined]);
    assert.equal(changed.consent.held().keys.size, 2);
    assert.equal(changed.asked.length, 1);
    writeMachineSettings(MACHINE_SETTINGS);
    const otherRepo = window(state, 'codespaces', [undefined], '/workspaces/other-repo');
    assert.equal(otherRepo.consent.held().keys.size, 2);
    assert.equal(otherRepo.asked.length, 1);
    assert.equal((state.get<string[]>(CONFIRMED_CONTAINER_SETTINGS_KEY) ?? []).length, 1);
  });

  it("leaves application-scoped settings (servers, budgets, token limits, exclude) the user's own: VS Code never applies a container's, so none is held or asked about", () => {
    // The container's file sets the daily budget, the OpenAI server and token limits; VS Code reports the user's own for them.
    writeMachineSettings('{ "switchboard.budget.dailyUsd": 500, "switchboard.providers.openai.baseUrl": "http://attacker.example/v1", "switchboard.chat.maxTokens": 64000, "switchboard.exclude": [] }');
    const session = window(memento(), 'dev-container', []);
    const held = session.consent.held();
    assert.equal(held.keys.size, 0);
    assert.equal(session.asked.length, 0, 'nothing to ask: none of these can come from the container');
    const users = { 'budget.dailyUsd': 5, 'budget.monthlyUsd': 40, 'chat.maxTokens': 2048, 'providers.openai.baseUrl': 'http://localhost:11434/v1' };
    // Even if asked to hold them, the policy keeps the user's values: before, a held budget fell back to no budget at all.
    const settings = settingsWith(new Set(['budget.dailyUsd', 'budget.monthlyUsd', 'chat.maxTokens', 'providers.openai.baseUrl'] as SettingKey[]), users);
    assert.equal(settings.config.budget.dailyUsd, 5);
    assert.equal(settings.config.budget.monthlyUsd, 40);
    assert.equal(settings.config.chat.maxTokens, 2048);
    assert.equal(settings.config.providers.openai.baseUrl, 'http://localhost:11434/v1');
    assert.deepEqual(settings.heldFromContainer, []);
    assert.deepEqual(settings.limits, []);
  });

  it("names a container's value held to the cheaper way as the container's, not as the workspace's, each source in its own warning", () => {
    writeMachineSettings('{ "switchboard.routes.chat": ["anthropic:claude-opus-5", "openai:gpt-5.4"] }');
    const session = window(memento(), 'dev-container', []);
    const held = session.consent.held();
    assert.deepEqual([...held.keys], ['routes.chat']);
    const containerRoute = ['anthropic:claude-opus-5', 'openai:gpt-5.4'];
    // The container's route (reported as globalValue) and the workspace's own prefixChars, both over the user's.
    const inspect = (key: SettingKey): InspectedSetting =>
      key === 'routes.chat' ? { globalValue: containerRoute } : key === 'completion.prefixChars' ? { workspaceValue: 100_000 } : {};
    const settings = settingsWith(held.keys, {}, inspect);
    assert.deepEqual(settings.fromWorkspace, ['completion.prefixChars']);
    assert.deepEqual(settings.fromContainer, ['routes.chat']);
    assert.deepEqual(settings.bySource.workspace.map((limit) => limit.key), ['completion.prefixChars']);
    assert.deepEqual(
      settings.bySource.container.map(({ key, detail }) => `${key}: ${detail}`),
      ["routes.chat: anthropic:claude-opus-5 costs more than your own route's models; left out"],
    );
    // The container's question is that source's one warning: it names the setting, its value and that it counts only the cheaper way.
    assert.match(session.asked[0]!.message, /switchboard\.routes\.chat = \["anthropic:claude-opus-5","openai:gpt-5\.4"\] \(until you confirm, only where it cannot raise what you spend/);
  });

  it('"Don\'t Use" keeps the defaults for this window, asks no more, and says why', async () => {
    writeMachineSettings(MACHINE_SETTINGS);
    const state = memento();
    const session = window(state, 'codespaces', [DO_NOT_USE_SETTINGS]);
    const answered = session.answered();
    session.consent.held();
    await answered;
    const held = session.consent.held();
    assert.equal(held.keys.size, 2);
    assert.match(held.reason!, /you chose not to use them in this window: those only your own settings may set keep their defaults/);
    session.consent.held();
    assert.equal(session.asked.length, 1);
    assert.ok(session.log.some((line) => line.includes('not confirmed; in this window those only your own settings may set keep their defaults')), session.log.join('\n'));
    assert.equal(state.get(CONFIRMED_CONTAINER_SETTINGS_KEY), undefined);
  });

  it('a DevPod workspace, opened over SSH, holds its Remote settings and its SWITCHBOARD_LEDGER and asks, as a dev container does', () => {
    writeMachineSettings(MACHINE_SETTINGS);
    for (const [env, authority] of [
      [{ DEVPOD: 'true', REMOTE_CONTAINERS: 'true', SWITCHBOARD_LEDGER: '/tmp/empty.jsonl' }, 'ssh-remote+cloned-repo.devpod'],
      [{ SWITCHBOARD_LEDGER: '/tmp/empty.jsonl' }, 'ssh-remote+cloned-repo.devpod'],
    ] as const) {
      const session = window(memento(), 'ssh-remote', [undefined], '/workspaces/cloned-repo', env, authority);
      const held = session.consent.held();
      assert.deepEqual([...held.keys].sort(), Object.keys(FROM_CONTAINER).sort(), JSON.stringify(env));
      assert.deepEqual([...held.variables], ['SWITCHBOARD_LEDGER']);
      assert.equal(session.asked.length, 1);
      assert.match(session.asked[0]!.message, /ssh-remote, \/workspaces\/cloned-repo/);
    }
  });

  it('on SSH, WSL and a desktop window the Remote settings are the user\'s own: used as they are, nothing asked', () => {
    writeMachineSettings(MACHINE_SETTINGS);
    for (const remoteName of ['ssh-remote', 'wsl', undefined]) {
      const session = window(memento(), remoteName, []);
      const held = session.consent.held();
      assert.equal(held.keys.size, 0, String(remoteName));
      assert.equal(session.asked.length, 0);
      const settings = settingsWith(held.keys, FROM_CONTAINER);
      assert.deepEqual(Object.keys(settings.config.providers.custom), ['gpu']);
      assert.equal(settings.config.timeouts.firstTokenMs, 150);
    }
  });
  /** The ledger Switchboard opens with `config` in an extension host whose environment is `env`. */
  async function ledgerOpened(config: ReturnType<typeof resolveConfig>['config'], env: NodeJS.ProcessEnv): Promise<string> {
    const switchboard = await Switchboard.create({ config, source: 'vscode', env: { ...env, AWS_CONFIG_FILE: path.join(root, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'aws-credentials') } });
    try {
      return switchboard.ledgerPath;
    } finally {
      await switchboard.dispose();
    }
  }

  it("holds a container's SWITCHBOARD_LEDGER, which outranks the ledger setting, until the user confirms it in the container's question", async () => {
    // devcontainer.json: "remoteEnv": { "SWITCHBOARD_LEDGER": "/tmp/empty.jsonl" }: an empty ledger reads as no spend today.
    const fromContainer = path.join(root, 'empty.jsonl');
    const usersOwn = path.join(root, 'mine', 'ledger.jsonl');
    const env = { SWITCHBOARD_LEDGER: fromContainer };
    const config = resolveConfig({ ledger: { path: usersOwn } }).config;
    const state = memento();
    const session = window(state, 'dev-container', [USE_SETTINGS], '/workspaces/cloned-repo', env);
    const answered = session.answered();
    const held = session.consent.held();
    assert.deepEqual([...held.variables], ['SWITCHBOARD_LEDGER']);
    assert.equal(held.keys.size, 0);
    assert.match(held.reason!, /SWITCHBOARD_LEDGER \(environment variable\) comes from this container's environment, which a repository's dev container configuration can set; not yet confirmed: SWITCHBOARD_LEDGER is not used/);
    assert.equal(await ledgerOpened(withoutHeldVariables(config, held.variables), env), usersOwn, 'the ledger stays where the settings put it');
    assert.equal(session.asked.length, 1);
    assert.match(session.asked[0]!.message, /this container's environment \(dev-container, \/workspaces\/cloned-repo\) set SWITCHBOARD_LEDGER = ".*empty\.jsonl" \(an environment variable; not used until you confirm: the ledger stays where your settings put it\)/);

    await answered;
    const confirmed = session.consent.held();
    assert.equal(confirmed.variables.size, 0);
    assert.equal(await ledgerOpened(withoutHeldVariables(config, confirmed.variables), env), fromContainer, 'confirmed: the variable counts as it does on the desktop');
    // Another value asks again.
    const moved = window(state, 'dev-container', [undefined], '/workspaces/cloned-repo', { SWITCHBOARD_LEDGER: path.join(root, 'other.jsonl') });
    assert.deepEqual([...moved.consent.held().variables], ['SWITCHBOARD_LEDGER']);
    assert.equal(moved.asked.length, 1);
  });

  it("holds a container's http.proxy, through which Bedrock's signed requests would go, until the user confirms it", async () => {
    // devcontainer.json: "customizations": {"vscode": {"settings": {"http.proxy": "http://proxy.attacker.example:3128"}}}, and nothing else.
    writeMachineSettings('{ "http.proxy": "http://proxy.attacker.example:3128" }');
    const files = machineSettingsFiles({ globalStoragePath, env: {}, home });
    assert.equal(readContainerSettings(files)?.proxy, 'http://proxy.attacker.example:3128');
    const state = memento();
    const session = window(state, 'dev-container', [USE_SETTINGS]);
    const answered = session.answered();
    const held = session.consent.held();
    assert.equal(held.proxy, true, 'held: settings.ts then gives Bedrock no http.proxy');
    assert.equal(held.keys.size, 0);
    assert.match(held.reason!, /^http\.proxy comes from this container's Remote settings .*not yet confirmed: http\.proxy \(for Bedrock\) is not used$/);
    assert.equal(session.asked.length, 1);
    assert.match(session.asked[0]!.message, /set http\.proxy = "http:\/\/proxy\.attacker\.example:3128" \(not used for Bedrock's requests, signed with your AWS credentials, until you confirm: they go direct\)/);
    await answered;
    assert.equal(session.consent.held().proxy, undefined, 'confirmed: used as the user\'s own');

    // Nested, as VS Code also accepts it; another value asks again. On SSH the Remote settings are the user's own.
    writeMachineSettings('{ "http": { "proxy": "http://other.example:8080" } }');
    const changed = window(state, 'dev-container', [undefined]);
    assert.equal(changed.consent.held().proxy, true);
    assert.equal(changed.asked.length, 1);
    assert.equal(window(memento(), 'ssh-remote', []).consent.held().proxy, undefined);
    // An empty value sets nothing.
    writeMachineSettings('{ "http.proxy": "" }');
    assert.equal(readContainerSettings(files), undefined);
  });

  it("asks about a container's http.proxy with the proxy's password masked", async () => {
    writeMachineSettings('{ "http.proxy": "http://me:proxy-pw-7q2Zr@proxy.corp.example:3128" }');
    const session = window(memento(), 'dev-container', [DO_NOT_USE_SETTINGS]);
    const answered = session.answered();
    session.consent.held();
    assert.equal(session.asked.length, 1);
    assert.match(session.asked[0]!.message, /set http\.proxy = "http:\/\/me:\*\*\*@proxy\.corp\.example:3128"/);
    assert.ok(!JSON.stringify(session.asked).includes('proxy-pw-7q2Zr'), 'the password is in the question');
    await answered;
  });

  it('asks once about a container that sets both Remote settings and SWITCHBOARD_LEDGER, naming both', async () => {
    writeMachineSettings(MACHINE_SETTINGS);
    const session = window(memento(), 'codespaces', [DO_NOT_USE_SETTINGS], '/workspaces/cloned-repo', { SWITCHBOARD_LEDGER: '/tmp/elsewhere.jsonl' });
    const answered = session.answered();
    const held = session.consent.held();
    assert.deepEqual([...held.variables], ['SWITCHBOARD_LEDGER']);
    assert.equal(held.keys.size, 2);
    assert.equal(session.asked.length, 1);
    assert.match(session.asked[0]!.message, /this container's Remote settings and environment \(codespaces, .*\) set SWITCHBOARD_LEDGER = "\/tmp\/elsewhere\.jsonl" .*; switchboard\.providers\.custom = /);
    await answered;
    assert.deepEqual([...session.consent.held().variables], ['SWITCHBOARD_LEDGER'], '"Don\'t Use" keeps it unused in this window');
    assert.ok(session.log.some((line) => line.includes('not confirmed; in this window SWITCHBOARD_LEDGER is not used; those only your own settings may set keep their defaults')), session.log.join('\n'));
  });

  it("uses SWITCHBOARD_LEDGER as it is on SSH, WSL and a desktop window, whose environment is the user's own", async () => {
    const fromEnvironment = path.join(root, 'shared.jsonl');
    for (const remoteName of ['ssh-remote', 'wsl', undefined]) {
      const session = window(memento(), remoteName, [], '/home/me/project', { SWITCHBOARD_LEDGER: fromEnvironment });
      const held = session.consent.held();
      assert.equal(held.variables.size, 0, String(remoteName));
      assert.equal(session.asked.length, 0);
      assert.equal(await ledgerOpened(withoutHeldVariables(resolveConfig({}).config, held.variables), { SWITCHBOARD_LEDGER: fromEnvironment }), fromEnvironment);
    }
  });
  it("Use a Local Server… keeps only the user's own routes behind the server's model, not an unconfirmed container's, which it would write to User settings", async () => {
    writeMachineSettings('{ "switchboard.routes.chat": ["anthropic:claude-opus-5"] }');
    const session = window(memento(), 'dev-container', [USE_SETTINGS]);
    const answered = session.answered();
    const held = session.consent.held();
    // In the container VS Code reports the container's route as globalValue, beside the user's own plan route.
    const inspect = inspector({ 'routes.chat': ['anthropic:claude-opus-5'], 'routes.plan': ['openai:gpt-5.4'] });
    assert.deepEqual(usersOwnRoutes(inspect, held.keys), { plan: ['openai:gpt-5.4'] });
    await answered;
    assert.deepEqual(usersOwnRoutes(inspect, session.consent.held().keys), { chat: ['anthropic:claude-opus-5'], plan: ['openai:gpt-5.4'] }, 'confirmed: the container\'s route is the user\'s');
    // A workspace's route is never the user's.
    assert.deepEqual(usersOwnRoutes(() => ({ workspaceValue: ['anthropic:claude-opus-5'] }), new Set()), {});
  });
});
