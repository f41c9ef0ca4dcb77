import { formatUsd } from '../../core/cost';
import { withoutIcons } from '../iconText';
import type { ConversationSummary } from './conversations';

/**
 * A conversation's row in the list of past conversations (no `vscode` here, so it is unit-tested in plain Node).
 * The title is the user's first question, a name they gave, or a plan's title the model wrote ("Let's continue
 * from …"): quoted without icons, so only the row of the conversation shown carries one.
 */
export function conversationRow(summary: ConversationSummary, currentId: string | undefined): { label: string; description: string; detail: string } {
  const shown = summary.id === currentId;
  return {
    label: `${shown ? '$(comment-discussion) ' : ''}${withoutIcons(summary.title)}`,
    description: `${summary.messages} ${summary.messages === 1 ? 'message' : 'messages'} · ${formatUsd(summary.costUsd)}${shown ? ' · shown' : ''}`,
    detail: `last used ${new Date(summary.updatedAt).toLocaleString()}`,
  };
}
