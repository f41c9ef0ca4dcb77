/** Points Switchboard at the fake providers of test/fakes as a user would point it at a proxy. */
import type { FakeProviderUrls } from '../../fakes';

/** Lets the keys reach the fakes on 127.0.0.1 from the test workbench's remote window (see fakeProviderSetup). */
export const LOOPBACK_KEY_HOSTS = {
  'switchboard.providers.openai.sendKeyTo': ['127.0.0.1'],
  'switchboard.providers.anthropic.sendKeyTo': ['127.0.0.1'],
} as const;

/**
 * Settings and environment that point Switchboard at fake providers, as a
 * user would configure a proxy: base URLs in settings, keys in the environment.
 */
export function fakeProviderSetup(urls: FakeProviderUrls): { env: Record<string, string>; userSettings: Record<string, unknown> } {
  return {
    env: { OPENAI_API_KEY: 'sk-e2e-fake-openai-key', ANTHROPIC_API_KEY: 'test-anthropic-e2e-fake-anthropic-key' },
    userSettings: {
      'switchboard.providers.openai.baseUrl': urls.openai.baseUrl,
      'switchboard.providers.anthropic.baseUrl': urls.anthropic.baseUrl,
      // The workbench is VS Code's server in a browser, a remote window: its loopback counts as the remote machine,
      // which gets no key unless allowed (core/remoteWindow.ts). The fakes there are allowed, as a user would.
      ...LOOPBACK_KEY_HOSTS,
    },
  };
}
