import { cheapestModel } from '../budget/requestCost';
import { editorSettingName } from '../config/settingNamer';
import { formatModelRef } from '../modelRef';
import { shouldFallBack } from '../providers/providerError';
import type { TierFault } from '../routing/autoRoute';
import type { ModelRef, Outcome } from '../types';
import { atVendorApi } from '../vendorApi';
import { attempt } from './attempt';
import { afterAuthFailure } from './authFailure';
import { finishRun } from './finishRun';
import { noteTooLong, passedOverAsTooSmall, tooLongMessage } from './promptTooLong';
import { billedAttempt, usageFields } from './recordCost';
import { clockTime, startDay, triedFields, type BudgetInRun, type RouteRun, type TierInRun } from './routeRun';
import type { RunContext } from './routerDeps';
import { inFlightScopeOf } from './sharedAdmission';
import type { RouteResult } from './types';

/** How a tier's turn ends: the request's result, or the tier giving it up, and whether that was the tier's fault. */
export type TierOutcome = { result: RouteResult } | { failure: string; fault?: TierFault };

/**
 * One tier's turn (the route, or one of Auto's tiers): its models in order,
 * those resting passed over, until one answers, or the tier gives the
 * request up, saying why and whether that was the tier's fault (which a
 * hand-over may mend).
 */
export async function runTier(context: RunContext, run: RouteRun, tier: TierInRun, limits: BudgetInRun | undefined): Promise<TierOutcome> {
  const { task, request, options, attempts } = run;
  const tierStart = attempts.length;
  // A model resting after a failure is not asked until its cooldown passes;
  // it is listed, so the record shows why it was passed over. Rests are timed
  // on the elapsed clock (a wall clock set back would rest a model longer).
  const now = context.elapsed();
  let tryList = tier.eligible.filter((ref) => !context.cooldowns.restingUntil(ref, now));
  for (const ref of tier.eligible) {
    const rest = context.cooldowns.restingUntil(ref, now);
    if (rest) attempts.push({ provider: ref.provider, model: ref.model, error: `cooling down (${Math.ceil((rest.until - now) / 1000)}s left) after: ${rest.after}` });
  }
  if (tryList.length === 0) {
    const first = Math.min(...tier.eligible.map((ref) => context.cooldowns.restingUntil(ref, now)?.until ?? now));
    const which = options.model ? `${run.requestedModel} is` : `all models of the ${tier.name} are`;
    if (!run.lastTried) run.lastTried = tier.eligible[0];
    // Said on the wall clock: the moment on the elapsed clock, as far from now.
    return { failure: `${which} unavailable until ${clockTime(context.now() + (first - now))} (rate-limited or failing; the first is free again in ${Math.ceil((first - now) / 1000)} s)`, fault: 'resting' };
  }
  const firstUsd = limits && tryList.length > 1 && context.deps.config().budget.action === 'downgrade' ? (limits.worstCase(tryList[0]!) ?? 0) : undefined;
  const firstPasses = limits && firstUsd !== undefined ? limits.budget.gate.passing(tryList[0]!.provider, firstUsd, inFlightScopeOf(task, context.deps.source)) : undefined;
  if (limits && firstPasses) {
    // Where the route's first model could pass a limit, `downgrade` keeps the route to its cheapest model.
    const first = tryList[0]!;
    tryList = [cheapestModel(tryList, request, context.deps.prices(), limits.unpricedPrice)!];
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
    const tooSmall = run.tooLong && passedOverAsTooSmall(run.tooLong, ref, context.deps.prices());
    if (tooSmall) {
      attempts.push({ provider: ref.provider, model: ref.model, error: tooSmall, skipped: true });
      continue;
    }
    if (limits) {
      const { admission, reservation: reserved } = await context.shared.admit(limits.budget.gate, task, ref, limits.worstCase(ref), run.published, startDay(run), run.allowedOnce, limits.estimatedModel(ref) !== undefined);
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
    context.deps.onEvent?.({
      type: 'waiting',
      requestId: run.requestId,
      task,
      ref,
      reason: index === 0 ? tier.first : `fallback after ${attempts.at(-1)?.error ?? 'failure'}`,
    });
    const outcome = await attempt({ registry: context.deps.registry, timeouts: context.deps.config().timeouts, elapsed: context.elapsed, settingName: context.deps.settingName ?? editorSettingName }, task, ref, request, options, () =>
      context.deps.onEvent?.({ type: 'streaming', requestId: run.requestId, task, ref }),
    );
    if (outcome.kind === 'failed-before-text') {
      run.reservation?.release();
      run.reservation = undefined;
      // Withdrawn for the other processes as it is here: a fallback publishes its own.
      context.shared.withdraw(run.published.splice(0));
      // A prompt too long for the model is no fault of the model's: it does not rest (Cooldowns.rest).
      context.cooldowns.rest(ref, outcome.error);
      const error = afterAuthFailure(context.deps.registry, ref, outcome.error);
      context.deps.onEvent?.({ type: 'attempt-failed', requestId: run.requestId, task, ref, error });
      if (error.kind === 'cancelled') {
        return { result: finishRun(context, run, usageFields(context.deps.prices(), ref, request, '', outcome.usage, null, 'cancelled', undefined, outcome.reasoningChars, stopsAtMax(context, ref)), '') };
      }
      // The provider had begun its answer: it bills the prompt (and any reasoning) though no text came.
      // A prompt refused as too long (Bedrock may say so as the stream's exception event) was never read: nothing billed.
      const billed = outcome.started && error.kind !== 'prompt-too-long' ? billedAttempt(context.deps.prices(), ref, request, outcome.usage, outcome.reasoningChars, stopsAtMax(context, ref)) : {};
      attempts.push({ provider: ref.provider, model: ref.model, error: error.message, ...billed });
      if (limits && typeof billed.costUsd === 'number' && billed.costUsd > 0) {
        // Spent, but counted only once the record is: held until then, so the next model is admitted against it.
        run.billed.push(limits.budget.gate.reserve(ref.provider, billed.costUsd, startDay(run)));
        await context.shared.hold(task, ref.provider, billed.costUsd, run.billedPublished, startDay(run));
      }
      if (error.kind === 'prompt-too-long') run.tooLong = noteTooLong(run.tooLong, ref, error, request, context.deps.prices(), attempts.length);
      if (shouldFallBack(error)) continue;
      allFellBack = false;
      break;
    }
    const { text, usage, answeredModel, firstTokenMs, error, gatewayCost, reasoningChars, maxTokensReached } = outcome;
    const answered = { provider: ref.provider, model: answeredModel ?? ref.model };
    const result: Outcome = error ? (error.kind === 'cancelled' ? 'cancelled' : 'error') : 'ok';
    return {
      result: finishRun(context,
        run,
        {
          ...usageFields(context.deps.prices(), answered, request, text, usage, firstTokenMs, result, gatewayCost, reasoningChars, stopsAtMax(context, ref)),
          ...(maxTokensReached && result === 'ok' ? { maxTokensReached: request.maxTokens } : {}),
        },
        text,
        error && error.kind !== 'cancelled' ? `${answered.provider}:${answered.model} failed mid-answer: ${error.message}` : undefined,
      ),
    };
  }

  const tried = triedFields(run);
  if (options.signal?.aborted) return { result: finishRun(context, run, { ...tried, outcome: 'cancelled' }, '') };
  if (run.budgetStop && !run.lastTried) {
    // Nothing was asked because of a budget: say that, not that models failed. A provider's
    // own limit may leave the other tier's providers, as it leaves a route's next model.
    if (run.givenUp) return { result: finishRun(context, run, { ...tried, outcome: 'error' }, '', run.budgetStop, true) };
    return { failure: run.budgetStop, fault: 'budget' };
  }
  // The prompt too long for the last model asked, and every model after it too small: the sizes and what to do.
  const tooLong = run.tooLong;
  // Unless a model that could take it was left out for another reason (resting, a budget): then each is listed.
  const largerLeftOut = tooLong && tier.eligible.some((ref) => formatModelRef(ref) !== formatModelRef(tooLong.by) && !passedOverAsTooSmall(tooLong, ref, context.deps.prices()));
  if (tooLong && !largerLeftOut && attempts.slice(tooLong.at).every((a) => a.skipped)) {
    return { failure: tooLongMessage(tooLong, task, options.model !== undefined, context.deps.settingName ?? editorSettingName), fault: 'failed' };
  }
  const tierAttempts = attempts.slice(tierStart);
  const list = tierAttempts.map((a) => `${a.provider}:${a.model}: ${a.error}`).join('; ');
  // A model picked by hand (--model, the chat panel's picker) is the one model asked: "every model of the chat
  // route" would send the user looking at a route that was never tried.
  const failure = options.model
    ? tierAttempts.length === 1
      ? `${tierAttempts[0]!.provider}:${tierAttempts[0]!.model} failed: ${tierAttempts[0]!.error}`
      : `${run.requestedModel} failed (${list})`
    : `every model of the ${tier.name} failed (${list})`;
  // A model the budget stopped, or an error another model would repeat (a request the
  // provider refuses as malformed), is no fault of the tier: the other would fare no better.
  return { failure, ...(triedHere && allFellBack && !run.budgetStop ? { fault: 'failed' as const } : {}) };
}

/** Whether `ref`'s provider stops at a request's max output, reasoning included: its vendor's own API (vendorApi.ts). */
function stopsAtMax(context: RunContext, ref: ModelRef): boolean {
  return atVendorApi(context.deps.config(), ref.provider);
}
