/**
 * A short question over attached code that asks whether the code is right ("Anything wrong with this?", "is this
 * ok?", "Ist das so in Ordnung?", "¿Está bien así?", "Está bem assim?", "这样写有问题吗？", "問題はありますか？"), or
 * whether it may go out as it is ("Is this callback OK to ship as it is?", "good to merge?", "可以上线了吗？"). It asks
 * for a code review in all but name: the answer has to find what is wrong, and nothing in the question points at it.
 * Read by its words alone it was a "short request (3 words)" over a few lines, and went cheap whatever the code held.
 *
 * Phrases, not words: "ok", "bien" or "问题" alone mean too many things. Each is anchored so that the phrase is the
 * question ("is this ok?"), not part of another ("is it ok to use var here?" asks a fact). Only read where the prose
 * is short and code is attached (features.ts), so the expressions run on a line or two of a few requests.
 */

/** The longest prose (in words) still read as such a question: a few words of context may come with it. */
export const REVIEW_ASK_MAX_WORDS = 15;

const END = String.raw`\s*[?？!.。]*\s*$`;
/**
 * A word's start where it may begin with a letter outside ASCII: JavaScript's `\b` knows only [A-Za-z0-9_], so
 * `\bça` and `\bé` never match after a space or at the start (ç and é are no word characters to it).
 */
const WORD_START = String.raw`(?<![\p{L}\p{N}_])`;
/** What may follow "ok to ship" and its kin, in the languages read, and still leave it the whole question. */
const SHIP_TAIL = String.raw`(?: (?:this|it|that))?(?: as (?:it |they )?(?:is|are|stands)| like (?:this|that)| now| yet| today| (?:to|in|into|on) (?:prod|production|main|master|staging|live)| so| assim| así| tel quel| comme ça| comme ca| so wie es ist)?`;
const REVIEW_ASKS: readonly RegExp[] = [
  // English.
  /^(?:is there |do you see |see |spot )?(?:anything|something) (?:wrong|off|bad|broken|dangerous|risky|insecure)\b/,
  /^what(?:'|’)?s? (?:is )?wrong with (?:this|it|that|my code|the code|this code)\b/,
  /\b(?:any|see any|spot any|are there any|is there an?|is there any) (?:issues?|problems?|bugs?|mistakes?|flaws?|vulnerabilit(?:y|ies)|risks?|red flags)\b/,
  new RegExp(String.raw`\b(?:is|does) (?:this|it|that|the code|this code)(?: code)?(?: look| seem| looks)? (?:ok|okay|right|correct|fine|good|alright|all right|safe|secure|sound)(?: to you)?(?: now)?${END}`),
  new RegExp(String.raw`^(?:looks? (?:ok|okay|good|right|fine)|lgtm|sanity check|thoughts)${END}`),
  /\b(?:can|could) (?:this|it) (?:break|fail|go wrong|be exploited|be abused)\b/,
  // What to change before it goes out: "anything I should change before I push this?", "what would you change?",
  // "would you change anything here?". Not "what should I change to make it async?" (a task named after "to").
  new RegExp(String.raw`^(?:is there )?(?:anything|something|what) (?:(?:i|we) (?:should|need to|ought to|must) (?:change|fix|improve|worry about)|(?:would|should) you (?:change|fix|improve))(?: (?:here|in (?:this|it|there)))?(?: (?:before (?:i|we) (?:push|merge|ship|deploy|commit|release|land)(?: (?:this|it|that))?))?${END}`),
  new RegExp(String.raw`^(?:would|should) (?:you|i|we) change anything(?: (?:here|in (?:this|it|there)))?(?: before (?:i|we) (?:push|merge|ship|deploy|commit|release|land)(?: (?:this|it|that))?)?${END}`),
  // Whether it may go out as it is ("Is this callback OK to ship as it is?", "good to merge?", "safe to deploy?"):
  // only with nothing after the verb but "it", "as is", "now" and the like, so "ok to merge two dicts like this?"
  // (how to do a thing) is not one.
  new RegExp(String.raw`\b(?:ok|okay|fine|good|safe|ready|alright|all right)(?: enough)? to (?:ship|merge|deploy|land|release|push|commit|go out|go live|go in)${SHIP_TAIL}${END}`),
  new RegExp(String.raw`^(?:can|could|should|may|shall) (?:i|we) (?:ship|merge|deploy|land|release|push|commit) (?:this|it|that)${SHIP_TAIL}${END}`),
  new RegExp(String.raw`\b(?:ready for|good for) (?:merge|merging|review|prod|production|release|deploy|deployment)${END}`),
  // French.
  // Not "qu'est-ce que c'est ?" ("what is it?"), which asks what the code is.
  new RegExp(String.raw`${WORD_START}(?:(?<!qu['’])est-ce (?:que c'est |correct|bon|juste)|c'est (?:bon|correct|juste|ok|sûr)|ça (?:va|te va|vous va|passe)\b)`, 'u'),
  /\b(?:y a-t-il|il y a|vois-tu|voyez-vous)(?: un| une| des| quelque)? ?(?:problèmes?|soucis?|bugs?|erreurs?|failles?|chose)\b/,
  /\bquelque chose (?:ne va pas|de (?:faux|mal|dangereux))\b/,
  // Whether it may go out: "prêt à merger ?", "bon pour la prod ?", "on peut le déployer ?".
  new RegExp(String.raw`${WORD_START}(?:prête?s?|bons?|ok|sûre?s?) (?:à|pour) (?:être )?(?:(?:livr|déploy|merg|fusionn|pouss|publi)\p{L}*|la prod(?:uction)?|mettre en prod(?:uction)?|partir)${SHIP_TAIL}${END}`, 'u'),
  new RegExp(String.raw`^(?:je|on|nous) (?:peux|peut|pouvons) (?:le |la |l'|l’)?(?:livrer|déployer|merger|fusionner|pousser|publier|mettre en prod(?:uction)?)${SHIP_TAIL}${END}`, 'u'),
  // German.
  // Not after a question word: "Was ist das?" ("what is this?") asks what the code is, not whether it is right; nor
  // with a word or two between ("Was genau ist das?", "Wofür genau ist das?"). Words joined by spaces alone: after a
  // comma or colon a new question starts ("Was meinst du, ist das so richtig?" is one).
  new RegExp(
    String.raw`(?<!${WORD_START}(?:was|wer|wie|wann|warum|wieso|weshalb|weswegen|welche[rsnm]?|wo\p{L}*)(?: \p{L}+){0,2} )\b(?:ist|passt|stimmt|geht) (?:das|es|der code|dieser code)(?: so)?(?: in ordnung| ok| okay| richtig| korrekt| gut| sicher)?${END}`,
    'u',
  ),
  /\b(?:gibt es|siehst du|irgendwelche|irgendein)(?: \p{L}+)? (?:probleme?|fehler|bugs?|schwachstellen|risiken)\b/u,
  /\bwas ist (?:daran |hier )?falsch\b/,
  // "Kann ich das so mergen?", "Ist das bereit zum Mergen?", "Ist das so releasebereit?".
  new RegExp(String.raw`^(?:kann|können|darf|dürfen) (?:ich|wir|man) (?:das|es|den code|diesen code)(?: so)? (?:mergen|deployen|ausliefern|releasen|shippen|pushen|veröffentlichen|live stellen)${END}`, 'u'),
  new RegExp(String.raw`\b(?:bereit|fertig|gut|sicher) (?:zum|für den|für das|für) (?:mergen|merge|deployen|deploy|deployment|release|ausliefern|shippen|livegang|produktion)${END}`, 'u'),
  new RegExp(String.raw`\b(?:merge|release|produktions|deploy|auslieferungs)(?:bereit|fertig)${END}`, 'u'),
  // Spanish.
  new RegExp(String.raw`\b(?:está|esta|es) (?:bien|correcto|correcta|seguro|segura)(?: así| esto)?${END}`),
  /\b(?:hay|ves|tiene)(?: \p{L}+)? (?:algún |algun |alguna )?(?:problemas?|errores|error|fallos?|bugs?|vulnerabilidad(?:es)?)\b/u,
  /\balgo (?:mal|raro|incorrecto)\b/,
  // "¿Está listo para subir?", "¿Puedo mergearlo así?".
  new RegExp(String.raw`${WORD_START}(?:listos?|listas?|bien|ok|seguros?|seguras?) para (?:subir|desplegar|deployar|mergear|fusionar|publicar|lanzar|salir|producción|prod|(?:pasar|ir) a producción)(?:lo|la)?${SHIP_TAIL}${END}`, 'u'),
  new RegExp(String.raw`^(?:puedo|podemos|se puede) (?:subir|desplegar|mergear|fusionar|publicar|lanzar)(?:lo|la)?(?: esto)?${SHIP_TAIL}${END}`, 'u'),
  // Portuguese.
  new RegExp(String.raw`${WORD_START}(?:está|esta|é) (?:bem|certo|correto|correta|ok|seguro|segura)(?: assim)?${END}`, 'u'),
  /\b(?:tem|há|existe|vê)(?: \p{L}+)? (?:algum |alguma )?(?:problemas?|erros?|bugs?|falhas?|vulnerabilidades?)\b/u,
  /\balgo (?:errado|estranho)\b/,
  // "Está pronto para subir?", "Posso fazer merge assim?".
  new RegExp(String.raw`${WORD_START}(?:prontos?|prontas?|bom|boa|ok|seguros?|seguras?) (?:para|pra) (?:subir|(?:fazer|dar) (?:deploy|merge)|deploy|mergear|publicar|lançar|(?:ir (?:para|pra) )?produção|prod)${SHIP_TAIL}${END}`, 'u'),
  new RegExp(String.raw`^(?:posso|podemos|dá para|da para|dá pra|da pra) (?:subir|mergear|(?:fazer|dar) (?:deploy|merge)|publicar|lançar)(?: isso| isto)?${SHIP_TAIL}${END}`, 'u'),
  // Chinese.
  /(?:有没有|有无|是否有|是否存在|存在)[^？?。]{0,12}(?:问题|风险|漏洞|隐患|错误|bug)/,
  /(?:有|没)(?:什么)?问题(?:吗|吧|么)/,
  /(?:对|正确|安全|可以|妥当|合理|没错)(?:吗|么|不对)/,
  /哪里(?:不对|有问题|错)/,
  // 可以上线了吗？ 能合并吗？ Only the verb and the question after it: 能合并两个数组吗 asks how to merge arrays.
  /(?:可以|能|能够|可不可以|能不能)(?:直接)?(?:上线|合并|合入|发布|部署|提交|发版|上生产)(?:了)?(?:吗|么|嘛)?\s*[?？。!！]*\s*$/,
  // Japanese.
  /(?:問題|バグ|脆弱性|危険)(?:は|が)?(?:あります|ある|ない|ありません)/,
  /(?:大丈夫|正しい|合って(?:い)?ます|安全)(?:ですか|でしょうか|か)?[?？]/,
  /(?:おかしい|まずい|危ない)(?:ところ|点|箇所)/,
  // マージしてもいいですか？ 本番に出して大丈夫？
  /(?:マージ|リリース|デプロイ|出荷|本番(?:に出|投入|反映))(?:して|し)(?:も)?(?:いい|良い|よい|大丈夫|問題ない|ok)(?:ですか|でしょうか|か)?\s*[?？。]*\s*$/,
];

/**
 * Where in `text` a question asking whether the code is right is, `[start, end)`, or undefined. `from` is where the
 * prose to read starts (after the last fence): the question goes after the code in what the chat panel sends.
 */
export function reviewAskIn(text: string, from: number): [number, number] | undefined {
  // Lower case keeps the offsets into `text`, except after a character whose lower case is longer (İ, U+0130, is i
  // and a combining dot): such a one is kept as it is, or the question found would be marked a character off.
  const raw = text.slice(from);
  let prose = raw.toLowerCase();
  if (prose.length !== raw.length) prose = Array.from(raw, (c) => (c.toLowerCase().length === c.length ? c.toLowerCase() : c)).join('');
  // Spanish opening marks and leading white space are not part of the question's words.
  let offset = 0;
  while (offset < prose.length && /[\s¿¡]/.test(prose[offset]!)) offset++;
  const question = prose.slice(offset);
  for (const pattern of REVIEW_ASKS) {
    const match = pattern.exec(question);
    if (match) return [from + offset + match.index, from + offset + match.index + match[0].length];
  }
  return undefined;
}
