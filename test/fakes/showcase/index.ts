/**
 * The sandbox's showcase answers (`serve.ts --showcase`): simulated replies
 * that exercise the whole product, where the tests keep the fakes' short
 * deterministic defaults. Chat and plan answers stream over about a second
 * and a half, as a real model's would; ghost text comes at once.
 */
import { PLAN_SYSTEM } from '../../../src/core/prompts/taskPrompts';
import type { Answerer, FakeReply } from '../fakeServer';
import { showcaseChatAnswer } from './chatAnswer';
import { completionSiteOf, showcaseCompletion } from './completionAnswer';
import { showcasePlanAnswer } from './planAnswer';
import { lastUserText, readWireRequest } from './wireRequest';

/** How long a chat or plan answer takes to stream, whatever its length. */
export const SHOWCASE_STREAM_MS = 1_500;
/** Characters a streamed piece carries, about two tokens. */
const PIECE_CHARS = 8;

/** The showcase answerer; `streamMs` spreads each chat or plan answer over that long (tests take less). */
export function createShowcaseAnswerer(streamMs = SHOWCASE_STREAM_MS): Answerer {
  const paced = (text: string): FakeReply => {
    const chunks = Math.max(1, Math.ceil(text.length / PIECE_CHARS));
    return { text, chunks, chunkDelayMs: Math.max(1, Math.round(streamMs / chunks)) };
  };
  return ({ model, body, fim }) => {
    const site = completionSiteOf(body, fim);
    if (site) return { text: showcaseCompletion(site), chunks: 1 };
    const request = readWireRequest(body);
    if (request.system.includes(PLAN_SYSTEM)) return paced(showcasePlanAnswer(model, lastUserText(request)));
    return paced(showcaseChatAnswer(model, request));
  };
}
