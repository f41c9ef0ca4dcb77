/**
 * A request body in any of the three wire shapes (OpenAI chat, Anthropic
 * Messages, Bedrock Converse), read back into the system prompt and the
 * conversation, so the showcase can answer what was asked.
 */

export interface WireTurn {
  role: string;
  text: string;
}

export interface WireRequest {
  system: string;
  turns: WireTurn[];
}

export function readWireRequest(body: unknown): WireRequest {
  const object = isRecord(body) ? body : {};
  const systemParts = [textOf(object.system)];
  const turns: WireTurn[] = [];
  for (const message of Array.isArray(object.messages) ? object.messages : []) {
    if (!isRecord(message) || typeof message.role !== 'string') continue;
    // OpenAI sends the system prompt as the first message.
    if (message.role === 'system' || message.role === 'developer') systemParts.push(textOf(message.content));
    else turns.push({ role: message.role, text: textOf(message.content) });
  }
  return { system: systemParts.filter(Boolean).join('\n'), turns };
}

/** The last user turn: the question being asked. */
export function lastUserText(request: WireRequest): string {
  return request.turns.findLast((turn) => turn.role === 'user')?.text ?? '';
}

/** A string, or the `text` of every block in a list (Anthropic and Bedrock content, Bedrock system). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  return value
    .map((block) => (isRecord(block) && typeof block.text === 'string' ? block.text : ''))
    .filter(Boolean)
    .join('\n');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
