import { LONG_CONTEXT_THRESHOLD } from '../cost';
import { isCount, isObject, isTask, usageProblem } from '../recordShape';
import { ZERO_USAGE, promptTokens, type Task, type Usage } from '../types';
import type { LedgerRecord } from './record';
import { sumInto } from './totals';

/**
 * What Auto's line and the retry savings of `switchboard costs` need of the
 * records, folded so that a year is read from caches beside its files rather
 * than from every record: requests per day, task and tier; the cheap tier's
 * tokens (split by prompt size, as costOf prices them) to price at the strong
 * tier when the report is made; the retries themselves (few: one per
 * "Retry with the strong model"); and the cheap answers' ids, since a retry
 * counts only when the answer it re-asks is in the report's range.
 */
export interface AutoCell {
  /** Local YYYY-MM-DD. */
  day: string;
  task: Task;
  /** Requests whose tier Auto chose (`routing.mode` auto), and of them on each tier. */
  requests: number;
  cheap: number;
  strong: number;
  /** Of those, requests Auto handed over to the other tier (routing.handedOverFrom), counted on the tier that took them. */
  handedOver: number;
  /** Cheap-tier answers Auto chose (not handed over) with a known cost, and their tokens and cost: what is priced at the strong tier. */
  pricedCheap: number;
  usage: Usage;
  longUsage: Usage;
  costUsd: number;
}

/** A retry ("Retry with the strong model") as the reports read it: the record less what they do not. */
export type RetryRecord = Pick<LedgerRecord, 'time' | 'task' | 'usage' | 'costUsd' | 'servedFrom' | 'retryOfUnpriced' | 'retryOfHandedOver'> & { retryOf: string; routing: { mode: 'retry'; reasons: string[] } };

export interface AutoPart {
  cells: AutoCell[];
  /** In file order (files oldest first), as the records were. */
  retries: RetryRecord[];
  /** The ids of Auto's cheap-tier answers, by local day. */
  cheapIds: Record<string, string[]>;
  /**
   * Of those, the answers with no known price, by local day: they are out
   * of the saving, and so are their retries (what the pair cost is unknown).
   */
  unpricedIds: Record<string, string[]>;
}

export function emptyAutoPart(): AutoPart {
  return { cells: [], retries: [], cheapIds: {}, unpricedIds: {} };
}

/** Auto's part of records or of merged parts, by day and task. */
export class AutoTally {
  private readonly cells = new Map<string, AutoCell>();
  private readonly retries: RetryRecord[] = [];
  private readonly cheapIds = new Map<string, string[]>();
  private readonly unpricedIds = new Map<string, string[]>();

  add(record: LedgerRecord, day: string): void {
    const routing = record.routing;
    // A request never sent (no key, no model named) is no choice of Auto's to report.
    if (!routing || record.notSent) return;
    if (routing.mode === 'retry' && record.retryOf) {
      this.retries.push({
        time: record.time,
        task: record.task,
        usage: { ...record.usage },
        costUsd: record.costUsd,
        retryOf: record.retryOf,
        ...(record.retryOfUnpriced ? { retryOfUnpriced: true as const } : {}),
        ...(record.retryOfHandedOver ? { retryOfHandedOver: true as const } : {}),
        ...(record.servedFrom ? { servedFrom: record.servedFrom } : {}),
        routing: { mode: 'retry', reasons: [] },
      });
      return;
    }
    if (routing.mode !== 'auto') return;
    const cell = this.cell(day, record.task);
    cell.requests += 1;
    if (routing.handedOverFrom) cell.handedOver += 1;
    if (routing.tier === 'strong') {
      cell.strong += 1;
      return;
    }
    cell.cheap += 1;
    if (record.id) idsOf(this.cheapIds, day).push(record.id);
    if (record.costUsd === null) {
      if (record.id) idsOf(this.unpricedIds, day).push(record.id);
      return;
    }
    // Handed over by a failed strong tier: a failure chose the cheap tier, not Auto, so it is not Auto's saving
    // (the reports say it apart: costs/handedOverNote.ts).
    if (routing.handedOverFrom) return;
    cell.pricedCheap += 1;
    cell.costUsd += record.costUsd;
    sumInto(promptTokens(record.usage) > LONG_CONTEXT_THRESHOLD ? cell.longUsage : cell.usage, record.usage);
  }

  merge(part: AutoPart, fromDay = ''): void {
    for (const from of part.cells) {
      if (from.day < fromDay) continue;
      const into = this.cell(from.day, from.task);
      into.requests += from.requests;
      into.cheap += from.cheap;
      into.strong += from.strong;
      into.handedOver += from.handedOver;
      into.pricedCheap += from.pricedCheap;
      into.costUsd += from.costUsd;
      sumInto(into.usage, from.usage);
      sumInto(into.longUsage, from.longUsage);
    }
    // One at a time: spreading a long list into push() can overflow the stack.
    for (const retry of part.retries) this.retries.push(retry);
    for (const [ids, into] of [[part.cheapIds, this.cheapIds], [part.unpricedIds, this.unpricedIds]] as const) {
      for (const [day, list] of Object.entries(ids)) {
        if (day < fromDay) continue;
        const target = idsOf(into, day);
        for (const id of list) target.push(id);
      }
    }
  }

  list(): AutoPart {
    return { cells: [...this.cells.values()], retries: [...this.retries], cheapIds: Object.fromEntries(this.cheapIds), unpricedIds: Object.fromEntries(this.unpricedIds) };
  }

  private cell(day: string, task: Task): AutoCell {
    const key = `${day}\u0000${task}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { day, task, requests: 0, cheap: 0, strong: 0, handedOver: 0, pricedCheap: 0, usage: { ...ZERO_USAGE }, longUsage: { ...ZERO_USAGE }, costUsd: 0 };
      this.cells.set(key, cell);
    }
    return cell;
  }

}

function idsOf(byDay: Map<string, string[]>, day: string): string[] {
  let ids = byDay.get(day);
  if (!ids) byDay.set(day, (ids = []));
  return ids;
}

function isIdsByDay(value: unknown): boolean {
  return isObject(value) && Object.values(value).every((ids) => Array.isArray(ids) && ids.every((id) => typeof id === 'string'));
}

/** Whether a cached Auto part is well formed (a cache from elsewhere is checked before it is trusted). */
export function isAutoPart(value: unknown): value is AutoPart {
  return (
    isObject(value) &&
    Array.isArray(value.cells) &&
    value.cells.every(
      (cell) =>
        isObject(cell) &&
        typeof cell.day === 'string' &&
        isTask(cell.task) &&
        [cell.requests, cell.cheap, cell.strong, cell.handedOver, cell.pricedCheap, cell.costUsd].every(isCount) &&
        usageProblem(cell.usage, 'usage') === undefined &&
        usageProblem(cell.longUsage, 'longUsage') === undefined,
    ) &&
    Array.isArray(value.retries) &&
    value.retries.every(
      (retry) =>
        isObject(retry) &&
        typeof retry.time === 'string' &&
        isTask(retry.task) &&
        usageProblem(retry.usage, 'usage') === undefined &&
        (retry.costUsd === null || isCount(retry.costUsd)) &&
        typeof retry.retryOf === 'string' &&
        (retry.retryOfUnpriced === undefined || retry.retryOfUnpriced === true) &&
        (retry.retryOfHandedOver === undefined || retry.retryOfHandedOver === true) &&
        isObject(retry.routing) &&
        retry.routing.mode === 'retry',
    ) &&
    isIdsByDay(value.cheapIds) &&
    isIdsByDay(value.unpricedIds)
  );
}
