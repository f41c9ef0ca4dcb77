/**
 * The cost dashboard's message protocol, imported by the VS Code host and the
 * webview bundle: one zod schema per message, types inferred from them. The
 * host validates everything the page sends (`parseDashboardMessage`), the
 * page everything the host sends (`parseDashboardHostMessage`). No `vscode`
 * and no DOM in here.
 */
import * as z from 'zod/mini';
import { RANGE_IDS } from '../core/costs/dayRange';
import { TASKS } from '../core/types';
import { lazy } from './lazy';
import { webviewHtml, type WebviewPage } from './webviewPage';

// No generated parsers: strict CSPs refuse them (see chatProtocol.ts).
z.config({ jitless: true });

/** Element id the dashboard bundle builds into. */
export const DASHBOARD_ROOT_ID = 'switchboard-costs';

const MAX_FILTER_VALUES = 200;

/** Built on the first message or stored query read (see lazy.ts), not at activation. */
const schemas = lazy(() => {
  const filterValue = z.string().check(z.minLength(1), z.maxLength(300));
  const range = z.enum(RANGE_IDS as readonly ['today', '7d', '30d', 'month', 'all']);
  const task = z.enum(TASKS as readonly ['completion', 'chat', 'plan']);

  /** What the page asks to see: a range and filters (empty lists: everything). */
  const querySchema = z.object({
    range,
    providers: z.array(filterValue).check(z.maxLength(MAX_FILTER_VALUES)),
    models: z.array(filterValue).check(z.maxLength(MAX_FILTER_VALUES)),
    tasks: z.array(task).check(z.maxLength(TASKS.length)),
  });

  // webview -> host
  const dashboardToHostSchema = z.discriminatedUnion('type', [
    /** The page listens: the host answers with a `view` for `query`. */
    z.object({ type: z.literal('ready'), query: querySchema }),
    z.object({ type: z.literal('query'), query: querySchema }),
    /** Save the requests of `query` as CSV, through a save dialog. */
    z.object({ type: z.literal('export'), query: querySchema }),
    /** The empty state's link. */
    z.object({ type: z.literal('setKey') }),
    /** The budgets' estimate note's button: opens switchboard.prices. */
    z.object({ type: z.literal('setPrice') }),
    /** A costliest request's "It's Free (Local Server)" button: `model` is its `provider:model`. */
    z.object({ type: z.literal('freeOnLocalServer'), model: filterValue }),
  ]);

  // host -> webview
  const costLine = { requests: z.number(), costUsd: z.number(), unpriced: z.number() };
  const series = z.object({ label: z.string(), values: z.array(z.number()), priced: z.array(z.number()) });

  const costViewSchema = z.object({
    days: z.array(z.string()),
    totals: z.object({ ...costLine, failed: z.number(), cancelled: z.number(), served: z.number(), inputTokens: z.number(), outputTokens: z.number(), failedUsd: z.number() }),
    dailyByModel: z.array(series),
    byTask: z.array(z.object({ ...costLine, task, served: z.number() })),
    byModel: z.array(
      z.object({
        ...costLine,
        model: z.string(),
        provider: z.string(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        cacheReadTokens: z.number(),
        cacheWriteTokens: z.number(),
        latencyMs: z.number(),
        local: z.optional(z.number()),
        tableRate: z.optional(z.number()),
      }),
    ),
    byProvider: z.array(z.object({ ...costLine, provider: z.string() })),
    savings: z.object({
      actual: z.array(z.number()),
      strong: z.array(z.number()),
      actualUsd: z.number(),
      strongUsd: z.number(),
      savedUsd: z.number(),
      comparedRequests: z.number(),
      chosenRequests: z.number(),
      handedOverRequests: z.number(),
      handedOverUsd: z.number(),
    }),
    available: z.object({ providers: z.array(z.string()), models: z.array(z.string()), tasks: z.array(task) }),
  });

  const costlyRequestSchema = z.object({
    time: z.string(),
    task,
    provider: z.string(),
    model: z.string(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    costUsd: z.number(),
    latencyMs: z.number(),
    outcome: z.enum(['ok', 'cancelled', 'error']),
    reason: z.string(),
    /** Set when the cost was priced at a bound: shown as a mark beside the cost, this its tooltip. */
    pricedAtBound: z.optional(z.string()),
    /** Set when the model was served on this machine and nobody priced it: its $0 reads "local, $0". */
    local: z.optional(z.literal(true)),
    tableRateOnLocalServer: z.optional(z.literal(true)),
  });

  const dashboardHostSchema = z.discriminatedUnion('type', [
    z.object({
      type: z.literal('view'),
      query: querySchema,
      view: costViewSchema,
      top: z.array(costlyRequestSchema),
      /** The strong tier each task's savings are priced at, `provider:model`, said to be unpriced (not compared) where it is. */
      strongModels: z.record(z.string(), z.string()),
      /** No request in the ledger (any range) was answered or cost anything: the page shows how to start. */
      empty: z.boolean(),
      /** No provider is usable (no key, no local server, no AWS credentials): the empty state offers the ways to one. */
      noProvider: z.optional(z.boolean()),
      /** With `empty`: how many requests are recorded all the same (refused, say for want of a provider, or failed). */
      unanswered: z.optional(z.int().check(z.gte(1))),
      /** Other windows and the CLI write here too. */
      ledgerPath: z.string(),
      /** The models with unpriced requests in the view, with why: their requests are not in its spend. */
      unpriced: z.optional(z.array(z.object({ model: z.string(), requests: z.number(), reason: z.string().check(z.maxLength(1000)) })).check(z.maxLength(500))),
      /** The view's models served on this machine that nobody priced (`provider:model`): their $0 reads "local, $0". */
      localModels: z.optional(z.array(z.string()).check(z.maxLength(500))),
      /**
       * Each budget limit set, as it stands today (every process's spend and requests in flight): a line and its level;
       * `alert` for one past its warning or used up, in the words of the notice of the crossing (budgetAlert.ts).
       */
      budgets: z.optional(z.array(z.object({ text: z.string().check(z.maxLength(1000)), level: z.enum(['ok', 'warning', 'reached']), alert: z.optional(z.string().check(z.maxLength(1000))) })).check(z.maxLength(50))),
      /** With a budget set: this month's requests it counts at budget.unpricedEstimate, by model, and the way to price them. */
      budgetEstimate: z.optional(z.string().check(z.maxLength(4000))),
      /**
       * While the ledger's files are still being read (newest first): the figures cover `read` of `files` so far.
       * `stopped`: the read stopped at a file it could not read (said in a problem), so no more will come.
       */
      reading: z.optional(z.object({ read: z.int().check(z.gte(0)), files: z.int().check(z.gte(1)), stopped: z.optional(z.literal(true)) })),
    }),
    /** A CSV was written: what it holds (requests, and completions served without one), so the page can say so. */
    z.object({ type: z.literal('exported'), file: z.string(), requests: z.number(), served: z.number(), totalUsd: z.number() }),
    /** The ledger could not be read or the export not written: said on the page, which would otherwise wait on. */
    z.object({ type: z.literal('problem'), message: z.string().check(z.maxLength(2000)) }),
  ]);
  return { querySchema, dashboardToHostSchema, dashboardHostSchema };
});
type DashboardSchemas = ReturnType<typeof schemas>;

export type DashboardQuery = z.infer<DashboardSchemas['querySchema']>;

export const DEFAULT_QUERY: DashboardQuery = { range: '30d', providers: [], models: [], tasks: [] };

/** A stored query (webview state survives updates of the extension): well formed, or the default. */
export function parseDashboardQuery(raw: unknown): DashboardQuery {
  const result = schemas().querySchema.safeParse(raw);
  return result.success ? result.data : DEFAULT_QUERY;
}

// ---- webview -> host -------------------------------------------------------

export type DashboardToHost = z.infer<DashboardSchemas['dashboardToHostSchema']>;

export function parseDashboardMessage(raw: unknown): DashboardToHost | undefined {
  const result = schemas().dashboardToHostSchema.safeParse(raw);
  return result.success ? result.data : undefined;
}

// ---- host -> webview -------------------------------------------------------

export type DashboardHostMessage = z.infer<DashboardSchemas['dashboardHostSchema']>;

export function parseDashboardHostMessage(raw: unknown): DashboardHostMessage | undefined {
  const result = schemas().dashboardHostSchema.safeParse(raw);
  return result.success ? result.data : undefined;
}

/** The page, with the same strict policy as the chat panel. */
export function dashboardHtml(page: WebviewPage): string {
  return webviewHtml(page, 'Switchboard Costs', DASHBOARD_ROOT_ID);
}
