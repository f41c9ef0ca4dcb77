import { plural } from '../words';
import { COUNTED_FOR_COST } from './newerRecord';

/**
 * The ledger's warnings (a line skipped, a recorded cost not believed), told once per line in a session: the
 * dashboard reads the ledger again on every open and refresh, and the status bar and budgets on every change,
 * so the same broken line was said again each time, burying anything new. What is new in a read is said as one
 * message per kind, with how many lines and the first of them ("3 lines of the ledger were skipped; the first:
 * …/ledger.jsonl:12: skipped a line that is not JSON").
 *
 * One per session, shared by every reader of the ledger in it: the extension host holds one
 * (src/vscode/ledgerWarnings.ts), and each CLI run its own (main.ts gives each run's CliIO a new one), so a
 * second run in the same process (a test, an embedder) says its warnings again on its own stderr.
 */
export class LedgerWarningsOnce {
  private readonly told = new Set<string>();

  /** The messages to show for `warnings`: nothing for lines already told, one message per kind for the rest. */
  fresh(warnings: Iterable<string>): string[] {
    const skipped: string[] = [];
    const costs: string[] = [];
    const newer: string[] = [];
    const other: string[] = [];
    for (const warning of warnings) {
      // Only a line's warning is told once: others (a read that failed) say something about now.
      const kind = SKIPPED.test(warning) ? skipped : COST.test(warning) ? costs : NEWER.test(warning) ? newer : undefined;
      if (!kind) {
        other.push(warning);
        continue;
      }
      if (this.told.has(warning)) continue;
      this.told.add(warning);
      kind.push(warning);
    }
    return [
      ...(skipped.length > 1 ? [`${plural(skipped.length, 'line')} of the ledger were skipped; the first: ${skipped[0]!}`] : skipped),
      ...(costs.length > 1 ? [`${plural(costs.length, 'line')} of the ledger had a recorded cost that is not believed; the first: ${costs[0]!}`] : costs),
      ...(newer.length > 1 ? [`${plural(newer.length, 'line')} of the ledger, written by a newer Switchboard, were counted for their cost only; the first: ${newer[0]!}`] : newer),
      ...other,
    ];
  }
}

const SKIPPED = /^.+:\d+: skipped /;
const NEWER = new RegExp(`^.+:\\d+: ${COUNTED_FOR_COST} `);
const COST = /^.+:\d+: (?:the recorded cost|a failed attempt's recorded cost) /;
