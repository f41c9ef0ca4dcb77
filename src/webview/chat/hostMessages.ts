/**
 * Reads messages from the host without trusting their shape: a host bug (or a
 * stale host after an extension update) must not break the panel. Zod is left
 * out of the browser bundle to keep it small; these checks cover exactly the
 * fields the view reads.
 */
import type {
  AnswerError,
  AnswerFooter,
  AttachmentChip,
  ChatTranscriptEntry,
  HostToWebview,
  ModelOption,
} from '../../shared/chatProtocol';
import type { FailedAttempt } from '../../core/types';

type Fields = Record<string, unknown>;

const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/** Keeps the well-formed items of a list and drops the rest. */
function listOf<T>(value: unknown, read: (item: unknown) => T | undefined): T[] {
  if (!Array.isArray(value)) return [];
  return value.map(read).filter((item): item is T => item !== undefined);
}

function readChip(value: unknown): AttachmentChip | undefined {
  return isRecord(value) && isString(value.label) ? { label: value.label } : undefined;
}

function readModel(value: unknown): ModelOption | undefined {
  return isRecord(value) && isString(value.ref) && isString(value.label) ? { ref: value.ref, label: value.label } : undefined;
}

function readAttempt(value: unknown): FailedAttempt | undefined {
  if (!isRecord(value) || !isString(value.provider) || !isString(value.model) || !isString(value.error)) return undefined;
  return { provider: value.provider, model: value.model, error: value.error };
}

function readFooter(value: unknown): AnswerFooter | undefined {
  if (!isRecord(value)) return undefined;
  const { model, requestedModel, fellBack, inputTokens, outputTokens, costUsd, latencyMs, estimated, stopped } = value;
  if (!isString(model) || !isString(requestedModel) || !isBoolean(fellBack)) return undefined;
  if (!isNumber(inputTokens) || !isNumber(outputTokens) || !isNumber(latencyMs)) return undefined;
  if (costUsd !== null && !isNumber(costUsd)) return undefined;
  return {
    model,
    requestedModel,
    fellBack,
    inputTokens,
    outputTokens,
    costUsd,
    latencyMs,
    estimated: estimated === true,
    stopped: stopped === true,
  };
}

function readError(value: unknown): AnswerError | undefined {
  if (!isRecord(value) || !isString(value.message)) return undefined;
  return { message: value.message, attempts: listOf(value.attempts, readAttempt) };
}

function readEntry(value: unknown): ChatTranscriptEntry | undefined {
  if (!isRecord(value) || !isString(value.text)) return undefined;
  if (value.role === 'user') return { role: 'user', text: value.text, attachments: listOf(value.attachments, readChip) };
  if (value.role !== 'assistant') return undefined;
  const footer = readFooter(value.footer);
  const error = readError(value.error);
  return { role: 'assistant', text: value.text, ...(footer && { footer }), ...(error && { error }) };
}

const readCost = (value: unknown): number => (isNumber(value) ? value : 0);

export function readHostMessage(raw: unknown): HostToWebview | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'init':
      if (!isString(raw.selectedModel) || !isBoolean(raw.hasCredentials)) return undefined;
      return {
        type: 'init',
        models: listOf(raw.models, readModel),
        selectedModel: raw.selectedModel,
        hasCredentials: raw.hasCredentials,
        benchmark: raw.benchmark === true,
      };
    case 'history':
      if (!Array.isArray(raw.messages)) return undefined;
      return { type: 'history', messages: listOf(raw.messages, readEntry), totalCostUsd: readCost(raw.totalCostUsd) };
    case 'start':
      if (!isString(raw.id) || !isString(raw.userText)) return undefined;
      return {
        type: 'start',
        id: raw.id,
        requestedModel: isString(raw.requestedModel) ? raw.requestedModel : '',
        attachments: listOf(raw.attachments, readChip),
        userText: raw.userText,
      };
    case 'chunk':
      if (!isString(raw.id) || !isString(raw.text)) return undefined;
      return {
        type: 'chunk',
        id: raw.id,
        text: raw.text,
        seq: isNumber(raw.seq) ? raw.seq : -1,
        ...(isNumber(raw.firstSeq) ? { firstSeq: raw.firstSeq } : {}),
      };
    case 'done': {
      const footer = readFooter(raw.footer);
      if (!isString(raw.id) || !footer) return undefined;
      return { type: 'done', id: raw.id, footer, totalCostUsd: readCost(raw.totalCostUsd) };
    }
    case 'error':
      if (!isString(raw.id) || !isString(raw.message)) return undefined;
      return {
        type: 'error',
        id: raw.id,
        message: raw.message,
        attempts: listOf(raw.attempts, readAttempt),
        partial: raw.partial === true,
      };
    case 'attachmentsPreview':
      return { type: 'attachmentsPreview', selection: readChip(raw.selection) ?? null, file: readChip(raw.file) ?? null };
    default:
      return undefined;
  }
}
