import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { shownPath } from './startLines.mjs';

/**
 * Where the sandbox's extension records its requests, said as `npm start` starts: the path itself, so a new user can
 * open it or hand it to `switchboard costs --ledger`, not "the per-user default (see README)".
 */

/**
 * The ledger part of the VS Code server's environment with the user's own providers: the real HOME and, when set,
 * SWITCHBOARD_LEDGER and XDG_DATA_HOME, so the extension resolves the same per-user ledger the CLI does (the server
 * otherwise drops XDG_DATA_HOME, and a user who sets it would find the sandbox's spend missing from `switchboard costs`).
 *
 * @param {NodeJS.ProcessEnv} env the environment `npm start` was given
 * @param {string} home
 */
export function sharedLedgerEnv(env, home) {
  return {
    HOME: home,
    SWITCHBOARD_LEDGER: env.SWITCHBOARD_LEDGER,
    ...(env.XDG_DATA_HOME ? { XDG_DATA_HOME: env.XDG_DATA_HOME } : {}),
  };
}

/**
 * "Ledger: /home/me/.local/share/switchboard/ledger.jsonl (the per-user default, which the switchboard CLI reads
 * too)": the path the extension will resolve from the server's environment, by the core's own rule, and why it is
 * that one. A SWITCHBOARD_LEDGER the extension would refuse (a relative path) is named with the reason.
 *
 * @param {string} repoRoot
 * @param {NodeJS.ProcessEnv} serverEnv the environment given to the VS Code server (and so its extension host)
 * @param {{ simulated: boolean }} mode
 */
export async function ledgerLine(repoRoot, serverEnv, { simulated }) {
  /** @type {typeof import('../../src/core/ledger/ledgerPath')} */
  const { resolveLedgerPath } = await tsImport(path.join(repoRoot, 'src', 'core', 'ledger', 'ledgerPath.ts'), import.meta.url);
  const env = { ...process.env, ...serverEnv };
  if (!serverEnv.XDG_DATA_HOME) delete env.XDG_DATA_HOME;
  const resolved = resolveLedgerPath({ env, ...(serverEnv.HOME ? { home: serverEnv.HOME } : {}) });
  const shown = shownPath(repoRoot, resolved.path);
  if (simulated) return `Ledger: ${shown} (simulated answers only, apart from your real spend; switchboard costs --ledger ${shown} totals it)`;
  if (resolved.problem) return `Ledger: ${shown} (the per-user default: ${resolved.problem})`;
  const why = serverEnv.SWITCHBOARD_LEDGER ? 'from SWITCHBOARD_LEDGER' : 'the per-user default, which the switchboard CLI reads too';
  return `Ledger: ${shown} (${why})`;
}
