import type { Budget } from './budget/budget';
import type { KeptSpend } from './budget/sharedReservations';
import { cheapestModel, estimatedModelOf, unpricedPriceOf, worstCaseCost } from './budget/requestCost';
import type { SwitchboardConfig } from './config';
import { editorSettingName, type SettingNamer } from './config/settingNamer';
import type { Ledger, LedgerRecord, LedgerSource, ServedFrom } from './ledger';
import { ServedTally } from './ledger/servedTally';
import { formatModelRef } from './modelRef';
import type { PriceTable } from './prices/priceTable';
import type { ProviderRegistry } from './providerRegistry';
import { handOverPlan, planRoute, routingInputOf, type RouteChoice, type RoutePlan, type TierFault } from './routing/autoRoute';
import { shouldFallBack } from './providers/providerError';
import type { SpendTracker } from './spendTracker';
import type { FailedAttempt, ModelRef, ModelRequest, Outcome, Task } from './types';
import { attempt } from './router/attempt';
import { afterAuthFailure } from './router/authFailure';
import { Cooldowns, type CooldownDefaults } from './router/cooldowns';
import { billedAttempt, usageFields } from './router/recordCost';
import { clockTime, firstReason, routeNameOf, startDay, triedFields, type BudgetInRun, type RouteRun, type TierInRun } from './router/routeRun';
import { eligibilityOf, refusalOf } from './router/refusal';
import { runRecord } from './router/runRecord';
import { noteTooLong, passedOverAsTooSmall, tooLongMessage } from './router/promptTooLong';
import { downgradeToCheapTier, handOverModels } from './router/tierBudget';
import { admittedAlone, inFlightScopeOf, SharedAdmission } from './router/sharedAdmission';
import type { Refusal, RouteResult, RouterEvent, RunOptions } from './router/types';
import { atVendorApi } from './vendorApi';

export { MAX_CHARS_PER_TOKEN } from './router/attempt';
export { DEFAULT_COOLDOWNS, type CooldownDefaults } from './router/cooldowns';
export type { Refusal, RouteResult, RouterEvent, RunOptions } from './router/types';

export interface RouterDeps {
  registry: ProviderRegistry;
  prices: () => PriceTable;
  config: () => SwitchboardConfig;
  /** Read per request, so a changed ledger path takes effect at once. */
  ledger?: () => Ledger;
  spend?: SpendTracker;
  /** Limits and what is in flight against them (see src/core/budget). */
  budget?: Budget;
  source: LedgerSource;
  /** The wall clock: a record's time, and when a resting model may be asked again. */
  now?: () => number;
  /**
   * A clock for durations (latency, first token, the stall watchdog) that only runs forward: the wall clock
   * can be stepped back or forward (NTP, the user, a VM resumed), which would record a negative latency or hold
   * a stalled stream open for as long as the step. Milliseconds from any origin.
   */
  elapsed?: () => number;
  cooldowns?: CooldownDefaults;
  onEvent?: (event: RouterEvent) => void;
  /** Told when a completion served without a request was counted (held, written once a minute). */
  onServed?: () => void;
  /** How messages name a setting to change (a timeout's limit, an empty route): the editor's by default. */
  settingName?: SettingNamer;
}

/**
 * The one retry loop. Tries the route's models in order, skipping those
 * without credentials or resting after a failure, falls back on failures
 * before the first token, and records every request in the ledger, whatever
 * its outcome. Its parts live in src/core/router/: types (what callers pass
 * and get back), refusal (why a request would be refused, which models may
 * be asked), attempt (one model asked, under the watchdog), authFailure (a
 * refused key's provider marked rejected), cooldowns, tierBudget (a budget's
 * hold on Auto's tiers), recordCost (a record's usage and cost), runRecord
 * (the whole record), sharedAdmission (the budget's admission shared with
 * other processes), routeRun (one request's state).
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
  /** Requests under way, so that shutting down can end them and record what they cost (see stopAll). */
  private readonly inFlight = new Set<{ stop(): void; finished: Promise<unknown> }>();

  constructor(private readonly deps: RouterDeps) {
    this.now = deps.now ?? Date.now;
    this.elapsed = deps.elapsed ?? (() => performance.now());
    this.cooldowns = new Cooldowns(this.elapsed, deps.cooldowns);
    this.shared = new SharedAdmission(deps.ledger, deps.source);
    this.served = new ServedTally(
      (record) => {
        this.deps.spend?.add(record);
        void this.deps.ledger?.().append(record);
      },
      this.now,
      deps.source,
      deps.onServed,
    );
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
      return this.finishRun(run, { outcome: 'error', ...(setupMissing ? { notSent: 'setup' as const } : {}) }, '', refused.message, refused.kind === 'budget');
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
      const given = await this.runTier(run, tier, limits);
      if ('result' in given) return given.result;
      const { fault } = given;
      // A prompt too long for every model is said once, whichever tier said it last.
      const failure = run.givenUp && !run.tooLong ? `${run.givenUp}; ${given.failure}` : given.failure;
      const next = fault ? handOverPlan(this.deps.config(), task, run.routing, fault) : undefined;
      const taken = next && handOverModels(this.deps, next, run.allowedOnce ? undefined : budget, worstCase, estimatedModel);
      const tried = triedFields(run);
      const budgetRefused = fault === 'budget';
      if (!next || !taken) return this.finishRun(run, { ...tried, outcome: 'error' }, '', failure, budgetRefused);
      if ('refused' in taken) return this.finishRun(run, { ...tried, outcome: 'error' }, '', `${failure}; not handed over to the ${next.routing!.tier} tier: ${taken.refused}`, budgetRefused || !run.lastTried);
      if (options.signal?.aborted) return this.finishRun(run, { ...tried, outcome: 'cancelled' }, '');
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

  /**
   * One tier's turn (the route, or one of Auto's tiers): its models in order,
   * those resting passed over, until one answers, or the tier gives the
   * request up, saying why and whether that was the tier's fault (which a
   * hand-over may mend).
   */
  private async runTier(run: RouteRun, tier: TierInRun, limits: BudgetInRun | undefined): Promise<{ result: RouteResult } | { failure: string; fault?: TierFault }> {
    const { task, request, options, attempts } = run;
    const tierStart = attempts.length;
    // A model resting after a failure is not asked until its cooldown passes;
    // it is listed, so the record shows why it was passed over. Rests are timed
    // on the elapsed clock (a wall clock set back would rest a model longer).
    const now = this.elapsed();
    let tryList = tier.eligible.filter((ref) => !this.cooldowns.restingUntil(ref, now));
    for (const ref of tier.eligible) {
      const rest = this.cooldowns.restingUntil(ref, now);
      if (rest) attempts.push({ provider: ref.provider, model: ref.model, error: `cooling down (${Math.ceil((rest.until - now) / 1000)}s left) after: ${rest.after}` });
    }
    if (tryList.length === 0) {
      const first = Math.min(...tier.eligible.map((ref) => this.cooldowns.restingUntil(ref, now)?.until ?? now));
      const which = options.model ? `${run.requestedModel} is` : `all models of the ${tier.name} are`;
      if (!run.lastTried) run.lastTried = tier.eligible[0];
      // Said on the wall clock: the moment on the elapsed clock, as far from now.
      return { failure: `${which} unavailable until ${clockTime(this.now() + (first - now))} (rate-limited or failing; the first is free again in ${Math.ceil((first - now) / 1000)} s)`, fault: 'resting' };
    }
    const firstUsd = limits && tryList.length > 1 && this.deps.config().budget.action === 'downgrade' ? (limits.worstCase(tryList[0]!) ?? 0) : undefined;
    const firstPasses = limits && firstUsd !== undefined ? limits.budget.gate.passing(tryList[0]!.provider, firstUsd, inFlightScopeOf(task, this.deps.source)) : undefined;
    if (limits && firstPasses) {
      // Where the route's first model could pass a limit, `downgrade` keeps the route to its cheapest model.
      const first = tryList[0]!;
      tryList = [cheapestModel(tryList, request, this.deps.prices(), limits.unpricedPrice)!];
      run.budgetAction = 'downgrade';
      run.budgetReason = limits.budget.gate.overMessage(firstPasses, firstUsd, limits.estimatedModel(first));
      run.budgetSetting = firstPasses.limit.setting;
      if (tryList[0] !== first) run.downgradedFrom ??= formatModelRef(first);
    }
    let triedHere = false;
    let allFellBack = true;
    for (let index = 0; index < tryList.length; index++) {
      const ref = tryList[index]!;
      if (options.signal?.aborted) break;
      const tooSmall = run.tooLong && passedOverAsTooSmall(run.tooLong, ref, this.deps.prices());
      if (tooSmall) {
        attempts.push({ provider: ref.provider, model: ref.model, error: tooSmall, skipped: true });
        continue;
      }
      if (limits) {
        const { admission, reservation: reserved } = await this.shared.admit(limits.budget.gate, task, ref, limits.worstCase(ref), run.published, startDay(run), run.allowedOnce, limits.estimatedModel(ref) !== undefined);
        if (!reserved) {
          const message = admission.kind === 'go' ? '' : admission.message;
          run.budgetStop ??= message;
          run.budgetSkipped.push({ model: formatModelRef(ref), reason: message });
          attempts.push({ provider: ref.provider, model: ref.model, error: message });
          continue;
        }
        run.reservation = reserved;
        if (admission.kind === 'go' && admission.overridden) {
          run.budgetAction = 'allow-once';
          run.allowedOnce = true;
        }
        // `warn` and `downgrade` go on past the limit; the request still counts as in flight.
        if (admission.kind === 'over' && admission.action !== 'block' && !run.budgetAction) {
          run.budgetAction = admission.action;
          run.budgetReason = limits.budget.gate.overMessage(admission.status, limits.worstCase(ref) ?? 0, limits.estimatedModel(ref));
          run.budgetSetting = admission.status.limit.setting;
        }
      }
      run.lastTried = ref;
      triedHere = true;
      this.deps.onEvent?.({
        type: 'waiting',
        requestId: run.requestId,
        task,
        ref,
        reason: index === 0 ? tier.first : `fallback after ${attempts.at(-1)?.error ?? 'failure'}`,
      });
      const outcome = await attempt({ registry: this.deps.registry, timeouts: this.deps.config().timeouts, elapsed: this.elapsed, settingName: this.deps.settingName ?? editorSettingName }, task, ref, request, options, () =>
        this.deps.onEvent?.({ type: 'streaming', requestId: run.requestId, task, ref }),
      );
      if (outcome.kind === 'failed-before-text') {
        run.reservation?.release();
        run.reservation = undefined;
        // Withdrawn for the other processes as it is here: a fallback publishes its own.
        this.shared.withdraw(run.published.splice(0));
        // A prompt too long for the model is no fault of the model's: it does not rest (Cooldowns.rest).
        this.cooldowns.rest(ref, outcome.error);
        const error = afterAuthFailure(this.deps.registry, ref, outcome.error);
        this.deps.onEvent?.({ type: 'attempt-failed', requestId: run.requestId, task, ref, error });
        if (error.kind === 'cancelled') {
          return { result: this.finishRun(run, usageFields(this.deps.prices(), ref, request, '', outcome.usage, null, 'cancelled', undefined, outcome.reasoningChars, this.stopsAtMax(ref)), '') };
        }
        // The provider had begun its answer: it bills the prompt (and any reasoning) though no text came.
        // A prompt refused as too long (Bedrock may say so as the stream's exception event) was never read: nothing billed.
        const billed = outcome.started && error.kind !== 'prompt-too-long' ? billedAttempt(this.deps.prices(), ref, request, outcome.usage, outcome.reasoningChars, this.stopsAtMax(ref)) : {};
        attempts.push({ provider: ref.provider, model: ref.model, error: error.message, ...billed });
        if (limits && typeof billed.costUsd === 'number' && billed.costUsd > 0) {
          // Spent, but counted only once the record is: held until then, so the next model is admitted against it.
          run.billed.push(limits.budget.gate.reserve(ref.provider, billed.costUsd, startDay(run)));
          await this.shared.hold(task, ref.provider, billed.costUsd, run.billedPublished, startDay(run));
        }
        if (error.kind === 'prompt-too-long') run.tooLong = noteTooLong(run.tooLong, ref, error, request, this.deps.prices(), attempts.length);
        if (shouldFallBack(error)) continue;
        allFellBack = false;
        break;
      }
      const { text, usage, answeredModel, firstTokenMs, error, gatewayCost, reasoningChars, maxTokensReached } = outcome;
      const answered = { provider: ref.provider, model: answeredModel ?? ref.model };
      const result: Outcome = error ? (error.kind === 'cancelled' ? 'cancelled' : 'error') : 'ok';
      return {
        result: this.finishRun(
          run,
          {
            ...usageFields(this.deps.prices(), answered, request, text, usage, firstTokenMs, result, gatewayCost, reasoningChars, this.stopsAtMax(ref)),
            ...(maxTokensReached && result === 'ok' ? { maxTokensReached: request.maxTokens } : {}),
          },
          text,
          error && error.kind !== 'cancelled' ? `${answered.provider}:${answered.model} failed mid-answer: ${error.message}` : undefined,
        ),
      };
    }

    const tried = triedFields(run);
    if (options.signal?.aborted) return { result: this.finishRun(run, { ...tried, outcome: 'cancelled' }, '') };
    if (run.budgetStop && !run.lastTried) {
      // Nothing was asked because of a budget: say that, not that models failed. A provider's
      // own limit may leave the other tier's providers, as it leaves a route's next model.
      if (run.givenUp) return { result: this.finishRun(run, { ...tried, outcome: 'error' }, '', run.budgetStop, true) };
      return { failure: run.budgetStop, fault: 'budget' };
    }
    // The prompt too long for the last model asked, and every model after it too small: the sizes and what to do.
    const tooLong = run.tooLong;
    // Unless a model that could take it was left out for another reason (resting, a budget): then each is listed.
    const largerLeftOut = tooLong && tier.eligible.some((ref) => formatModelRef(ref) !== formatModelRef(tooLong.by) && !passedOverAsTooSmall(tooLong, ref, this.deps.prices()));
    if (tooLong && !largerLeftOut && attempts.slice(tooLong.at).every((a) => a.skipped)) {
      return { failure: tooLongMessage(tooLong, task, options.model !== undefined, this.deps.settingName ?? editorSettingName), fault: 'failed' };
    }
    const list = attempts.slice(tierStart).map((a) => `${a.provider}:${a.model}: ${a.error}`).join('; ');
    // A model the budget stopped, or an error another model would repeat (a request the
    // provider refuses as malformed), is no fault of the tier: the other would fare no better.
    return { failure: `every model of the ${tier.name} failed (${list})`, ...(triedHere && allFellBack && !run.budgetStop ? { fault: 'failed' as const } : {}) };
  }

  /** Whether `ref`'s provider stops at a request's max output, reasoning included: its vendor's own API (vendorApi.ts). */
  private stopsAtMax(ref: ModelRef): boolean {
    return atVendorApi(this.deps.config(), ref.provider);
  }

  /**
   * Ends a request: its one ledger record (the answer, or why there is none,
   * with every failed attempt), counted in the spend before its reservation
   * ends (never in neither), appended, its published reservations withdrawn
   * once the record is in the ledger, and the `finished` event.
   */
  private finishRun(run: RouteRun, fields: Partial<LedgerRecord> & Pick<LedgerRecord, 'outcome'>, text: string, error?: string, budgetRefused = false): RouteResult {
    const record = runRecord(run, fields, { latencyMs: Math.round(this.elapsed() - run.startedElapsed), source: this.deps.source, error });
    // Counted in the spend (which budgets read) before the reservation ends: never in neither.
    this.deps.spend?.add(record);
    run.reservation?.release();
    for (const held of run.billed.splice(0)) held.release();
    const appended = this.deps.ledger?.().append(record) ?? Promise.resolve();
    if (run.published.length + run.billedPublished.length > 0) {
      // Withdrawn once the record is in the ledger, where the other processes count it instead.
      const entries = [...run.published.splice(0), ...run.billedPublished.splice(0)];
      void appended.then(() => this.shared.withdraw(entries), () => this.shared.withdraw(entries));
    }
    this.deps.onEvent?.({ type: 'finished', requestId: run.requestId, record, ...(error ? { error } : {}), ...(budgetRefused ? { budgetRefused } : {}) });
    const { budgetReason, budgetSetting, downgradedFrom, downgradedToCheapTier, budgetSkipped } = run;
    const shaped = budgetReason !== undefined && (record.budgetAction === 'warn' || record.budgetAction === 'downgrade');
    return {
      text,
      record,
      ...(error ? { error } : {}),
      ...(budgetRefused ? { budgetRefused } : {}),
      ...(shaped ? { budgetReason, ...(budgetSetting ? { budgetSetting } : {}) } : {}),
      ...(shaped && record.budgetAction === 'downgrade' && downgradedFrom ? { downgradedFrom } : {}),
      ...(shaped && record.budgetAction === 'downgrade' && downgradedToCheapTier ? { downgradedToCheapTier } : {}),
      ...(budgetSkipped.length > 0 ? { budgetSkipped: [...budgetSkipped] } : {}),
    };
  }
}
