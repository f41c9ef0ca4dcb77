/** Types for ledger.mjs, for its tests. */
export function sharedLedgerEnv(env: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv;
export function ledgerLine(repoRoot: string, serverEnv: NodeJS.ProcessEnv, mode: { simulated: boolean }): Promise<string>;
