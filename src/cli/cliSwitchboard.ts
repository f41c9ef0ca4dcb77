// The Switchboard of one CLI run: opened with a ledger proven writable and the day's spend loaded (a budget must
// bind across runs), closed with whatever the ledger still refused said on stderr.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BudgetCrossing } from '../core/budget/budgetNotices';
import type { SwitchboardConfig } from '../core/config';
import { openLedgerFile } from '../core/ledger/ledgerPath';
import { LedgerReadError } from '../core/ledger/scan';
import { writeFailureReason } from '../core/ledger/writer';
import { sayLedgerWarnings } from './ledgerWarnings';
import { refusedKeyNote } from './refusedKey';
import { Switchboard } from '../core/switchboard';
import { CliError, cliLedgerPath, cliSettingName, LEDGER_PATH_SOURCES, type CliIO } from './cliSupport';

/** Errors that say the place cannot be written at all, rather than that the path is wrong. */
const UNWRITABLE_PLACE = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Opens the ledger for appending, creating it and its folder as the writer
 * would, before any request is sent. The editor keeps a record it cannot
 * write and writes it later; a CLI run ends right after its request, so a
 * ledger it cannot write would lose the record of a request already paid for.
 */
async function checkLedgerWritable(file: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    // As the writer opens it: never waiting on a path that became a named pipe since it was resolved.
    await (await openLedgerFile(file, 'append')).close();
  } catch (error) {
    // A home that cannot be written (a read-only container, another user's HOME) holds the default ledger: the way
    // out is a ledger elsewhere, which the message names.
    const elsewhere = UNWRITABLE_PLACE.has((error as NodeJS.ErrnoException).code ?? '') ? ` (keep it in a writable place: ${LEDGER_PATH_SOURCES} in a --config file)` : '';
    throw new CliError(`cannot write the ledger ${file}: ${writeFailureReason(error, LEDGER_PATH_SOURCES)}; nothing was sent, since its record could not be kept${elsewhere}`);
  }
}

/** The budget crossings each run's Switchboard was told of, said on stderr by sayBudgetCrossings. */
const crossingsOf = new WeakMap<Switchboard, BudgetCrossing[]>();

/**
 * `configFile`: the --config FILE the run read, which the messages name as where a setting is changed. `oneModel`:
 * the run asks the model --model names and no other, so a failure has no "next model" to go on to.
 */
export async function openSwitchboard(config: SwitchboardConfig, configFile: string | undefined, ledger: string | undefined, io: CliIO, oneModel = false): Promise<Switchboard> {
  const ledgerPath = await cliLedgerPath(ledger, config, io);
  await checkLedgerWritable(ledgerPath);
  const crossings: BudgetCrossing[] = [];
  const switchboard = await Switchboard.create({
    config,
    source: 'cli',
    env: io.env,
    ledgerPath,
    // What a CLI user changes to use another ledger, not the editor's switchboard.ledger.path.
    ledgerSettingName: LEDGER_PATH_SOURCES,
    settingName: cliSettingName(configFile),
    onLedgerError: (error) => io.stderr(`switchboard: warning: ${error.message}\n`),
    // The warning above no longer holds: said, so a script reading stderr does not take the record for lost.
    onLedgerRecovered: (message) => io.stderr(`switchboard: ${message}\n`),
    // The editor shows a notice when the spend crosses budget.warnAt of a limit, or the limit; a script's run says
    // it on stderr. Once across every process sharing the ledger, and only for crossings made during this run.
    onBudgetCrossing: (crossing) => crossings.push(crossing),
    crossingsSinceLoad: true,
    onEvent: (event) => {
      // With --model the final error says the same of the one model asked, and no route goes on after it.
      if (event.type === 'attempt-failed' && event.error.kind === 'auth' && !oneModel) {
        // The error's own words: a refused key (401), access denied (403) and no AWS credentials at all read differently.
        // A refused key is named by where it came from and where it went, the one word of it when a fallback answers.
        const note = refusedKeyNote(switchboard.registry, config, event.ref.provider);
        io.stderr(`switchboard: ${event.error.message}${note}; the route's next model, if any, is tried\n`);
      }
    },
  });
  crossingsOf.set(switchboard, crossings);
  // Each CLI run is a new process: the month's spend must come from the ledger
  // (other runs and the editor write there too), or the budget never binds.
  // The router reads what others append meanwhile before each request.
  if (switchboard.budget.gate.active()) {
    let warnings: string[];
    try {
      // What is read later (before the request, what other processes wrote meanwhile) warns on stderr too.
      warnings = await switchboard.loadToday({ onWarning: (warning) => sayLedgerWarnings([warning], io) });
    } catch (error) {
      // A limit that cannot be checked is not a limit: refuse rather than spend blind.
      if (error instanceof LedgerReadError) throw new CliError(`${error.message}; the budget cannot be checked`);
      throw error;
    }
    sayLedgerWarnings(warnings, io);
  }
  return switchboard;
}

/**
 * Each budget crossing the run's request made (its warning level or its limit), once the checks its record started
 * are done: "the daily budget is used up: $0.51 spent of $0.50; … (budget.dailyUsd in team.jsonc, …)". Asked
 * before closeSwitchboard, which stops following the spend; said on stderr with the run's other warnings.
 */
export async function budgetCrossingLines(switchboard: Switchboard): Promise<string[]> {
  await switchboard.checkBudgetCrossings();
  return (crossingsOf.get(switchboard)?.splice(0) ?? []).map((crossing) => crossing.message);
}

/**
 * Ends a run's Switchboard: writes what is held and closes connections. A
 * record the ledger still refuses (the disk filled up mid-run) would die with
 * the process: it goes to stderr, whole, to be appended by hand.
 */
export async function closeSwitchboard(switchboard: Switchboard, io: CliIO): Promise<void> {
  // Waits for every try under way and makes the last one: what is left is never written by this process.
  await switchboard.dispose();
  const lines = switchboard.ledger.unwrittenLines();
  if (lines.length === 0) return;
  const them = lines.length === 1 ? 'its record' : `their ${lines.length} records`;
  io.stderr(`switchboard: warning: this run ends before the ledger ${switchboard.ledgerPath} could be written; ${them} (append to the ledger by hand to keep):\n${lines.join('\n')}\n`);
}
