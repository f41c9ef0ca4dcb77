import type { KeptSpend } from './budget/sharedReservations';
import { estimatedModelOf, unpricedPriceOf, worstCaseCost } from './budget/requestCost';
import type { ServedFrom } from './ledger';
import { ServedTally } from './ledger/servedTally';
import { formatModelRef } from './modelRef';
import { handOverPlan, planRoute, routingInputOf, type RouteChoice, type RoutePlan } from './routing/autoRoute';
import type { FailedAttempt, ModelRef, ModelRequest, Task } from './types';
import { Cooldowns } from './router/cooldowns';
import { finishRun } from './router/finishRun';
import { firstReason, routeNameOf, triedFields, type BudgetInRun, type RouteRun, type TierInRun } from './router/routeRun';
import { eligibilityOf, refusalOf } from './router/refusal';
import type { RouterDeps, RunContext } from './router/routerDeps';
import { runTier } from './router/runTier';
import { downgradeToCheapTier, handOverModels } from './router/tierBudget';
import { admittedAlone, SharedAdmission } from './router/sharedAdmission';
import type { Refusal, RouteResult, RunOptions } from './router/types';

export { MAX_CHARS_PER_TOKEN } from './router/attempt';
export { DEFAULT_COOLDOWNS, type CooldownDefaults } from './router/cooldowns';
export type { Refusal, RouteResult, RouterEvent, RunOptions } from './router/types';
export type { RouterDeps } from './router/routerDeps';

/**
 * The one retry loop. Tries the route's models in order, skipping those
 * without credentials or resting after a failure, falls back on failures
 * before the first token, and records every request in the ledger, whatever
 * its outcome. Its parts live in src/core/router/: types (what callers pass
 * and get back), routerDeps (what the Router is built from), refusal (why a
 * request would be refused, which models may be asked), runTier (one tier's
 * models tried in turn), attempt (one model asked, under the watchdog),
 * authFailure (a refused key's provider marked rejected), cooldowns,
 * tierBudget (a budget's hold on Auto's tiers), recordCost (a record's usage
 * and cost), runRecord (the whole record), finishRun (a request ended:
 * recorded, counted, announced), sharedAdmission (the budget's admission
 * shared with other processes), routeRun (one request's state).
 */
export class Router {
  private readonly cooldowns: Cooldowns;
  private nextRequestId = 1;
  private heldBecause?: string;
  /** This process's requests in flight and kept spend as the other processes sharing its ledger read them. */
  private readonly shared: SharedAdmission;
  private readonly now: () => number;
  private readonly elapsed: () => number;
  private readonly served: ServedTally;
  /** What each request's run reads (runTier, finishRun): the dependencies and the parts above. */
  private readonly context: RunContext;
  /** Requests under way, so that shutting down can end them and record what they cost (see stopAll). */
  private readonly inFlight = new Set<{ stop(): void; finished: Promise<unknown> }>();

  constructor(private readonly deps: RouterDeps) {
    this.now = deps.now ?? Date.now;
    this.elapsed = deps.elapsed ?? (() => performance.now());
    this.cooldowns = new Cooldowns(this.elapsed, deps.cooldowns);
    this.shared = new SharedAdmission(deps.ledger, deps.source, deps.spend && (() => deps.spend!.catchUp()));
    this.served = new ServedTally(
      (record) => {
        this.deps.spend?.add(record);
        void this.deps.ledger?.().append(record);
      },
      this.now,
      deps.source,
      deps.onServed,
    );
    this.context = { deps, cooldowns: this.cooldowns, shared: this.shared, now: this.now, elapsed: this.elapsed };
  }

  /**
   * The models a request would try, in order: the route, or with Auto the
   * tier its score picks (src/core/routing). No request is made.
   */
  route(task: Task, request: ModelRequest, choice: RouteChoice = {}): RoutePlan {
    return planRoute(this.deps.config(), task, () => routingInputOf(task, request), choice, (ref) => this.deps.registry.status(ref.provider)?.usable === true);
  }

  /** The models a request for `task` would try, in order, with why others are left out. */
  plan(task: Task, only?: ModelRef): { eligible: ModelRef[]; skipped: FailedAttempt[] } {
    return this.eligibility(only ? [only] : this.deps.config().routes[task]);
  }

  /** Which of `route` can be tried (their provider has credentials), in order, and why the rest cannot. */
  eligibility(route: readonly ModelRef[]): { eligible: ModelRef[]; skipped: FailedAttempt[] } {
    return eligibilityOf(this.deps.registry, route);
  }

  /**
   * Refuses every request, with `reason`, until called with undefined: how the
   * editor keeps anything of an untrusted workspace from reaching a model,
   * whichever command asks.
   */
  hold(reason: string | undefined): void {
    this.heldBecause = reason;
  }

  /**
   * Why a request for `task` (or for `only`, or on the models Auto `routed` it
   * to) would be refused before any model is asked; undefined when it would go
   * ahead. With Auto it answers as run() would act: a tier its providers'
   * budgets stop hands the request over to the other tier, and, asked with no
   * plan (no request to score), a tier with no usable model gives way to the
   * other (planRoute), so either tier that could answer is enough.
   */
  refusal(task: Task, only?: ModelRef, routed?: RoutePlan): Refusal | undefined {
    return refusalOf(this.deps, this.heldBecause, task, only, routed);
  }

  /**
   * Opens the connection the next request for `task` will most likely use
   * (its first usable model's provider), with the adapter's unbilled `warm`
   * request; loads the provider's SDK if it is not loaded yet. Nothing when
   * a request would be refused; never throws, records nothing.
   */
  async warm(task: Task): Promise<void> {
    if (this.refusal(task)) return;
    const now = this.elapsed();
    const { eligible } = this.plan(task);
    const first = eligible.find((ref) => !this.cooldowns.restingUntil(ref, now)) ?? eligible[0];
    if (!first) return;
    try {
      const adapter = await this.deps.registry.adapter(first.provider);
      await adapter.warm?.();
    } catch {
      // A warm-up only saves time; the request itself will report what is wrong.
    }
  }

  /**
   * Counts an inline completion served without a model request: never billed,
   * attributed to the model the route would have asked, and written as one
   * record per minute and model (see ServedTally).
   */
  recordServedWithoutRequest(task: Task, servedFrom: ServedFrom): void {
    this.served.add(task, this.plan(task).eligible[0] ?? this.deps.config().routes[task][0], servedFrom);
  }

  /** Completions served without a request on local `day` whose counts are still held, not yet in the ledger or the spend. */
  servedHeldOn(day: string): number {
    return this.served.heldOn(day);
  }

  /** Hands the served-completion counts still held to the ledger: before a flush at exit. */
  flushServed(): void {
    this.served.flush();
  }

  /** Resolves once this process's published reservations and kept spend are withdrawn (others would count them until it ends). */
  async dispose(): Promise<void> {
    this.served.dispose();
    await this.shared.dispose();
  }

  /** Publishes this process's spend its ledger could not take yet (see SharedReservations.publishKept); true when other processes see it. */
  async publishKeptSpend(kept: readonly KeptSpend[]): Promise<boolean> {
    return this.shared.publishKept(kept);
  }

  async run(task: Task, request: ModelRequest, options: RunOptions = {}): Promise<RouteResult> {
    const shutdown = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, shutdown.signal]) : shutdown.signal;
    const finished = this.runRoute(task, request, { ...options, signal });
    const entry = { stop: () => shutdown.abort(), finished };
    this.inFlight.add(entry);
    try {
      return await finished;
    } finally {
      this.inFlight.delete(entry);
    }
  }

  /**
   * Cancels every request under way and resolves once each is recorded: a window that reloads or
   * closes mid-answer has paid for what streamed, and its ledger line must be written before the
   * ledger's last flush, not after.
   */
  async stopAll(): Promise<void> {
    const running = [...this.inFlight];
    for (const request of running) request.stop();
    await Promise.allSettled(running.map((request) => request.finished));
  }

  private async runRoute(task: Task, request: ModelRequest, options: RunOptions): Promise<RouteResult> {
    const started = this.now();
    const startedElapsed = this.elapsed();
    const routed = options.routed ?? this.route(task, request, { ...(options.model ? { model: options.model } : {}), ...(options.tier ? { tier: options.tier } : {}) });
    const route = routed.models;
    const { eligible, skipped } = this.eligibility(route);
    const run: RouteRun = {
      requestId: this.nextRequestId++,
      started,
      startedElapsed,
      task,
      request,
      options,
      route,
      requestedModel: route[0] ? formatModelRef(route[0]) : '',
      attempts: [],
      routing: routed.routing,
      published: [],
      billed: [],
      billedPublished: [],
      budgetSkipped: [],
      passedOver: skipped,
      handedOverPassedOver: [],
      budgetAction: undefined,
      allowedOnce: false,
    };

    const refused = await this.refusalBeforeSending(task, options.model, routed);
    if (refused) {
      // No model can be used: every one passed over is in the record, as the refusal's reason.
      if (refused.kind === 'no-credentials') run.attempts.push(...refused.skipped);
      run.passedOver = [];
      // No key, or no model named: nothing was sent, and the setup, not a provider, is what to mend.
      const setupMissing = refused.kind === 'no-credentials' || refused.kind === 'empty-route';
      return finishRun(this.context, run, { outcome: 'error', ...(setupMissing ? { notSent: 'setup' as const } : {}) }, '', refused.message, refused.kind === 'budget');
    }

    const budget = this.deps.budget?.gate.active() ? this.deps.budget : undefined;
    const unpricedPrice = budget ? unpricedPriceOf(this.deps.config().budget) : undefined;
    const worstCase = (ref: ModelRef) => worstCaseCost(request, ref, this.deps.prices(), unpricedPrice);
    const estimatedModel = (ref: ModelRef) => estimatedModelOf(ref, this.deps.prices(), unpricedPrice);
    const limits: BudgetInRun | undefined = budget && { budget, worstCase, unpricedPrice, estimatedModel };
    // Auto's picked tier first; if it cannot answer, once, the other tier (handOver).
    let tier: TierInRun = { eligible, name: routeNameOf(task, routed), first: firstReason(routed, options) };
    const downgraded = budget && downgradeToCheapTier(this.deps, task, run.routing, eligible, budget, worstCase, estimatedModel);
    if (downgraded) {
      // Past a limit, `downgrade` keeps a request to the cheapest models; with Auto that is the cheap tier.
      run.routing = downgraded.routing;
      run.budgetAction = 'downgrade';
      run.budgetReason = downgraded.reason;
      run.budgetSetting = downgraded.setting;
      run.downgradedFrom = formatModelRef(downgraded.from);
      run.downgradedToCheapTier = true;
      run.handedOverPassedOver.push({ route: downgraded.models, skipped: downgraded.skipped, at: run.attempts.length });
      tier = { eligible: downgraded.eligible, name: routeNameOf(task, downgraded), first: `Auto: past the budget, downgraded to the ${run.routing!.tier} tier` };
    }

    for (;;) {
      const given = await runTier(this.context, run, tier, limits);
      if ('result' in given) return given.result;
      const { fault } = given;
      // A prompt too long for every model is said once, whichever tier said it last.
      const failure = run.givenUp && !run.tooLong ? `${run.givenUp}; ${given.failure}` : given.failure;
      const next = fault ? handOverPlan(this.deps.config(), task, run.routing, fault) : undefined;
      const taken = next && handOverModels(this.deps, next, run.allowedOnce ? undefined : budget, worstCase, estimatedModel);
      const tried = triedFields(run);
      const budgetRefused = fault === 'budget';
      if (!next || !taken) return finishRun(this.context, run, { ...tried, outcome: 'error' }, '', failure, budgetRefused);
      if ('refused' in taken) return finishRun(this.context, run, { ...tried, outcome: 'error' }, '', `${failure}; not handed over to the ${next.routing!.tier} tier: ${taken.refused}`, budgetRefused || !run.lastTried);
      if (options.signal?.aborted) return finishRun(this.context, run, { ...tried, outcome: 'cancelled' }, '');
      run.routing = next.routing;
      run.givenUp = failure;
      run.handedOverPassedOver.push({ route: next.models, skipped: taken.skipped, at: run.attempts.length });
      tier = { eligible: taken.eligible, name: routeNameOf(task, next), first: `Auto handed over to the ${run.routing!.tier} tier after: ${failure}` };
    }
  }

  /**
   * Why the request would be refused before any model is asked, looked at
   * again under a cap once this process's records are in the file and the
   * other processes' spend and requests in flight are read.
   */
  private async refusalBeforeSending(task: Task, model: ModelRef | undefined, routed: RoutePlan): Promise<Refusal | undefined> {
    const refused = this.refusal(task, model, routed);
    if (refused || !this.deps.budget?.gate.active() || !this.deps.spend) return refused;
    // Under a cap, this process's last records go to the file before it looks
    // at what other windows and the CLI wrote since its last look: a request
    // that starts after the cap was reached anywhere is not sent, and each
    // process has at most one request under way that others cannot see yet.
    await this.deps.ledger?.().flush();
    await this.deps.spend.catchUp();
    // And what they have in flight: a budget counts every process's requests under way, not this one's alone
    // (the editor's ghost text aside, which counts this process's; see SharedAdmission.admit).
    if (!admittedAlone(task, this.deps.source)) this.deps.budget.gate.seeOthers((await this.shared.reservations()?.others()) ?? []);
    return this.refusal(task, model, routed);
  }
}
