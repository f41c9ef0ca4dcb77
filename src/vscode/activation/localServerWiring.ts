import type * as vscode from 'vscode';
import type { SettingKey } from '../../core/config';
import { formatModelRef } from '../../core/modelRef';
import type { Switchboard } from '../../core/switchboard';
import { LocalServerOffer } from '../localServer';
import type { SecretKeyStore } from '../secrets';

/** Use a Local Server… and the offer of a server's models as routes, reading the routes and key rules as they are now. */
export function createLocalServerOffer(
  context: vscode.ExtensionContext,
  switchboard: Switchboard,
  keyStore: SecretKeyStore,
  log: vscode.LogOutputChannel,
  heldFromContainer: () => ReadonlySet<SettingKey>,
  environmentServerConfirmed?: (url: string) => boolean,
): LocalServerOffer {
  return new LocalServerOffer({
    keyStore,
    env: process.env,
    routes: () => {
      const { routes } = switchboard.currentConfig;
      return { completion: routes.completion.map(formatModelRef), chat: routes.chat.map(formatModelRef), plan: routes.plan.map(formatModelRef) };
    },
    sendKeyTo: () => switchboard.currentConfig.providers.openai.sendKeyTo,
    remoteLoopback: () => switchboard.currentConfig.providers.openai.remoteLoopback === true,
    log,
    heldFromContainer,
    ...(environmentServerConfirmed ? { environmentServerConfirmed } : {}),
    environmentOffered: {
      get: () => context.globalState.get<string>(ENV_SERVER_OFFERED_KEY),
      set: (url) => context.globalState.update(ENV_SERVER_OFFERED_KEY, url),
    },
  });
}

/**
 * The OPENAI_BASE_URL server's models offered as routes, when that is where openai requests go. Not awaited:
 * activation never waits on a server (its answer, or its 5 s of silence, comes when it comes).
 */
export function offerEnvironmentServer(switchboard: Switchboard, localServer: LocalServerOffer): void {
  const openaiServer = switchboard.currentConfig.providers.openai;
  if (openaiServer.baseUrlFrom === 'OPENAI_BASE_URL') void localServer.offerForEnvironment(openaiServer.baseUrl);
}

/** The OPENAI_BASE_URL server whose models were offered at a start (localServer.ts), so that it is offered once. */
const ENV_SERVER_OFFERED_KEY = 'switchboard.environmentServerOffered';
