/**
 * A message that only thanks or acknowledges ("thanks!", "ok great, that
 * works", "merci") asks nothing new, so it needs no strong model however
 * hard the conversation before it was; the scorer, which weighs the
 * conversation, sent "thanks" after 20 messages on a deadlock to the strong
 * tier. "yes", "sure" and "go ahead" are not here: after "Shall I also
 * update the tests?" they are a request for more work.
 */

/** Words that make a message an acknowledgement; the first one found is named in the reason. */
const THANKS_WORDS = new Set(
  (
    'thanks thank thx ty cheers great perfect awesome nice cool ok okay got works worked helps helped helpful appreciated appreciate ' +
    'excellent brilliant wonderful fantastic lovely danke merci gracias grazie obrigado obrigada dank bedankt спасибо 谢谢 多谢 ありがとう 감사합니다 dziękuję'
  ).split(' '),
);
/** Words that may stand beside them without asking anything. */
const FILLER_WORDS = new Set(
  'you u so much very a lot that this it all for the help now really many makes sense fine good looks yeah yep schön vielen beaucoup muchas mille gut bien'.split(' '),
);
/** Emoji and marks that say the same (U+FE0F: the emoji form of ❤, as in ❤️). */
const THANKS_SYMBOLS = /^(?:[\s!.,:;)(\-–—~*❤🙏👍🎉😊🙂💯✅]|\uFE0F)*$/u;
/** Longer messages say more than thanks; this also keeps the check cheap for any request. */
const MAX_CHARS = 60;

/** The acknowledgement word the message is made of (lower case, from the list above), or undefined. */
export function acknowledgementWord(prompt: string): string | undefined {
  const text = prompt.trim();
  if (text.length === 0 || text.length > MAX_CHARS || text.includes('?')) return undefined;
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const rest = text.replace(/[\p{L}\p{N}']+/gu, '');
  // Emoji alone: quoted as sent, every character being one of the list's.
  if (words.length === 0) return THANKS_SYMBOLS.test(text) && /\p{Extended_Pictographic}/u.test(text) ? text : undefined;
  if (!THANKS_SYMBOLS.test(rest)) return undefined;
  let found: string | undefined;
  for (const word of words) {
    const bare = word.replace(/'/g, '');
    if (THANKS_WORDS.has(bare)) found ??= bare;
    else if (!FILLER_WORDS.has(bare)) return undefined;
  }
  return found;
}
