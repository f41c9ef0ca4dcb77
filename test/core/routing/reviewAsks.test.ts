import assert from 'node:assert/strict';
import { parseModelRef } from '../../../src/core/modelRef';
import { promptWithAttachments } from '../../../src/core/prompts/attachments';
import { buildsStringAt } from '../../../src/core/routing/codeRisk';
import { extractFeatures, type RoutingInput } from '../../../src/core/routing/features';
import { reviewAskIn } from '../../../src/core/routing/reviewAsk';
import { shippedRoutingModel } from '../../../src/core/routing/routingModel';
import { chooseTier } from '../../../src/core/routing/tiers';

const chat = (prompt: string): RoutingInput => ({ task: 'chat', prompt });
const refs = (...texts: string[]) => texts.map((text) => parseModelRef(text)!);
const tiers = { cheap: refs('anthropic:claude-haiku-4-5'), strong: refs('anthropic:claude-sonnet-5') };
const attach = (question: string, label: string, languageId: string, text: string) => promptWithAttachments(question, [{ label, languageId, text }]);
const stats = (prompt: string) => extractFeatures(chat(prompt)).stats;
const decide = (prompt: string) => chooseTier(chat(prompt), tiers, shippedRoutingModel().dial.defaultShare);

/** A Flask handler that runs a shell command built from a query parameter. */
const shellFromQuery = [
  '@app.get("/thumb")',
  'def thumb():',
  '    name = request.args["file"]',
  '    os.system("convert uploads/" + name + " -resize 64x64 thumbs/" + name)',
  '    return send_from_directory("thumbs", name)',
].join('\n');
/** The same handler with a fixed command: nothing from outside reaches the shell. */
const fixedCommand = ['def rebuild_thumbs():', '    subprocess.run(["make", "thumbs"], check=True)', '    return "ok"'].join('\n');
/** PHP that deletes by an id from the form, put into the SQL by concatenation. */
const sqlFromPost = ['<?php', "$id = $_POST['id'];", 'mysqli_query($conn, "DELETE FROM notes WHERE id = " . $id);', "header('Location: /notes');"].join('\n');
/** The same delete as a parameterised query. */
const sqlParameterised = [
  '<?php',
  "$id = $_POST['id'];",
  "$stmt = $pdo->prepare('DELETE FROM notes WHERE id = ?');",
  '$stmt->execute([$id]);',
].join('\n');
/** Express serving a file named by the route. */
const pathFromParams = ["router.get('/docs/:name', (req, res) => {", "  res.sendFile(path.join(__dirname, 'docs', req.params.name));", '});'].join('\n');
/** Express sending the browser wherever the query string says after logging in: an open redirect. */
const redirectFromQuery = ["router.get('/signed-in', (req, res) => {", "  const target = req.query.returnTo || '/';", '  res.redirect(target);', '});'].join('\n');
/** The same route sending the browser to a fixed page. */
const fixedRedirect = ["router.get('/signed-in', (req, res) => {", "  res.redirect('/home');", '});'].join('\n');
/** Redirects in the other frameworks, each to a target read from the request. */
const redirectsFromInput: readonly [string, string][] = [
  ['python', ['@app.get("/go")', 'def go():', '    return redirect(request.args.get("to", "/"))'].join('\n')],
  ['python', ['def go(request):', '    return HttpResponseRedirect(request.GET["to"])'].join('\n')],
  ['php', ['<?php', "header('Location: ' . $_GET['to']);", 'exit;'].join('\n')],
  ['csharp', ['public void Go() {', '    Response.Redirect(Request.QueryString["to"]);', '}'].join('\n')],
  ['go', ['func goHandler(w http.ResponseWriter, r *http.Request) {', '\thttp.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)', '}'].join('\n')],
  ['java', ['@GetMapping("/go")', 'public String go(HttpServletRequest request) {', '    return "redirect:" + request.getParameter("to");', '}'].join('\n')],
  ['java', ['protected void doGet(HttpServletRequest request, HttpServletResponse response) {', '    response.sendRedirect(request.getParameter("to"));', '}'].join('\n')],
];
const plainCode = ['export function total(items: { price: number }[]): number {', '  return items.reduce((sum, item) => sum + item.price, 0);', '}'].join('\n');

describe('review asks and code that lets input reach a sink', () => {
  it('reads a short question whether code is right as a review ask, in each language read', () => {
    for (const question of [
      'Anything wrong with this?',
      'any issues?',
      'Does this look right to you?',
      'is this code safe?',
      'Est-ce correct ?',
      // Questions opening on a letter outside ASCII (JavaScript's \b does not see ç or é as a word's start).
      'Le code, ça te va ?',
      'Ça passe ?',
      'Isso é seguro?',
      'É correto assim?',
      'Y a-t-il un problème ?',
      'Passt das so?',
      // A question word in an earlier clause is no question word of this one.
      'Was meinst du, ist das so richtig?',
      'Wie gesagt: Stimmt das so?',
      'Gibt es hier Probleme?',
      '¿Está bien así?',
      '¿Hay algún problema?',
      'Está certo assim?',
      'Tem algum problema?',
      '这样写有问题吗？',
      '这段代码有没有安全隐患？',
      'このコードに問題はありますか？',
      'これで大丈夫ですか？',
    ]) {
      assert.ok(reviewAskIn(question, 0), question);
    }
    for (const question of ['Is it ok to use var here?', 'How do I make this faster?', 'Convert this to TypeScript.', 'Est-ce que je peux utiliser let ici ?', 'Wie benenne ich das um?', '这个函数是做什么的？', 'Was ist das?', 'Wofür ist das?', "Qu'est-ce que c'est ?", 'Was genau ist das?', 'Wofür genau ist das?', 'Was ist das eigentlich?', 'Wie genau stimmt das?']) {
      assert.equal(reviewAskIn(question, 0), undefined, question);
    }
  });

  it('reads whether code may go out as it is ("OK to ship?", "good to merge?") as a review ask, in each language read', () => {
    for (const question of [
      'Is this callback OK to ship as it is?',
      'good to merge?',
      'Safe to deploy?',
      'Is this ready to go out?',
      'fine to land as is?',
      'Can we merge this now?',
      'Ready for merge?',
      'Prêt à merger ?',
      "C'est bon pour la prod ?",
      'On peut le déployer tel quel ?',
      'Kann ich das so mergen?',
      'Ist das bereit zum Deployen?',
      'Ist das so releasebereit?',
      '¿Está listo para subir?',
      '¿Puedo mergearlo así?',
      'Está pronto para produção?',
      'Posso fazer merge assim?',
      '可以上线了吗？',
      '这个能合并吗？',
      'これでマージしてもいいですか？',
    ]) {
      assert.ok(reviewAskIn(question, 0), question);
    }
    // How to do a thing, not whether this code may go out.
    for (const question of ['Is it ok to merge two dicts like this?', 'How do I deploy this to Heroku?', 'Can we merge these two functions into one?', 'Wie kann ich das mergen?', '¿Cómo puedo desplegar esto?', '能合并两个数组吗？', 'Write a script to deploy to staging.']) {
      assert.equal(reviewAskIn(question, 0), undefined, question);
    }
  });

  it('marks the question where it is in the text, whatever comes before it', () => {
    // İ (U+0130) lowers to two characters: the offsets are still the text's.
    for (const [text, question] of [
      ['İzmir ekibinden: is this ok?', 'is this ok?'],
      ['İİ, İ: Está bien así?', 'Está bien así?'],
      ['Anything wrong with this?', 'Anything wrong'],
    ]) {
      const at = reviewAskIn(text!, 0);
      assert.ok(at, text);
      assert.equal(text!.slice(...at), question);
    }
  });

  it('makes a review ask over attached code a code review, and nothing else one', () => {
    const asked = stats(attach('Anything wrong with this?', 'src/total.ts', 'typescript', plainCode));
    assert.equal(asked.reviewAsked, true);
    assert.ok(asked.groupWords.review !== undefined);
    // Nothing attached, a longer question, an error pasted, another task asked: not review asks.
    assert.equal(stats('Anything wrong with this?').reviewAsked, false);
    const long = 'Anything wrong with this? It is the function we call from the checkout page before we charge the card, and it has been there for a year.';
    assert.equal(stats(attach(long, 'src/total.ts', 'typescript', plainCode)).reviewAsked, false);
    assert.equal(stats(attach('Convert this to JavaScript, is that ok?', 'src/total.ts', 'typescript', plainCode)).reviewAsked, false);
    // Typed above the code pasted below it, with nothing after the last fence: the question is the text above.
    const fenced = '```typescript\n' + plainCode + '\n```';
    assert.equal(stats(`Anything wrong with this?\n${fenced}\n`).reviewAsked, true);
    assert.equal(stats(`Anything wrong with this?\n\n${fenced}\n\n${fenced}`).reviewAsked, true);
    assert.equal(stats(`${fenced}\nAnything wrong with this?`).reviewAsked, true);
    // Words after the last fence are what is read, whatever is above them.
    assert.equal(stats(`Anything wrong with this?\n${fenced}\nIt runs at checkout.`).reviewAsked, false);
    const withError = attach("Anything wrong with this? TypeError: Cannot read properties of undefined (reading 'price')", 'src/total.ts', 'typescript', plainCode);
    assert.equal(stats(withError).reviewAsked, false);
  });

  it('finds input from outside reaching a command, SQL built from strings or a file path, not a fixed command or a parameterised query', () => {
    assert.equal(stats(attach('Anything wrong with this?', 'app/thumbs.py', 'python', shellFromQuery)).riskyCode, true);
    assert.equal(stats(attach('Anything wrong with this?', 'app/thumbs.py', 'python', fixedCommand)).riskyCode, false);
    assert.equal(stats(attach('这样写有问题吗？', 'notes/delete.php', 'php', sqlFromPost)).riskyCode, true);
    assert.equal(stats(attach('这样写有问题吗？', 'notes/delete.php', 'php', sqlParameterised)).riskyCode, false);
    assert.equal(stats(attach('Is this ok?', 'routes/docs.js', 'javascript', pathFromParams)).riskyCode, true);
    // Only asked about in a review or a security question: an edit of the same code does not look.
    assert.equal(stats(attach('Add a docstring to this function.', 'app/thumbs.py', 'python', shellFromQuery)).riskyCode, false);

    // A redirect to a target from the request is a sink; to a fixed page, with nothing read from the request, not.
    assert.equal(stats(attach('Anything wrong with this?', 'routes/signin.js', 'javascript', redirectFromQuery)).riskyCode, true);
    assert.equal(stats(attach('Anything wrong with this?', 'routes/signin.js', 'javascript', fixedRedirect)).riskyCode, false);
    for (const [language, code] of redirectsFromInput) assert.equal(stats(attach('Is this ok?', `go.${language}`, language, code)).riskyCode, true, code);

    assert.equal(buildsStringAt('q = f"SELECT * FROM t WHERE a = \'{a}\'"', 9), true);
    assert.equal(buildsStringAt('cur.execute("SELECT * FROM t WHERE a = %s", (a,))', 14), false);
    assert.equal(buildsStringAt('User.where("email = \'#{params[:email]}\'")', 5), true);
  });

  it('sends a short review ask over code that lets input reach a sink to the strong tier as a security review', () => {
    const shell = decide(attach('Anything wrong with this?', 'app/thumbs.py', 'python', shellFromQuery));
    assert.equal(shell.tier, 'strong', `score ${shell.score}: ${shell.reasons.join('; ')}`);
    assert.ok(shell.reasons.includes('a security review: the code passes input from outside to a command, query, file path, redirect or deserialiser'), shell.reasons.join('; '));
    assert.ok(shell.reasons.includes('asks whether the attached code is right: a code review'), shell.reasons.join('; '));
    const sql = decide(attach('这样写有问题吗？', 'notes/delete.php', 'php', sqlFromPost));
    assert.equal(sql.tier, 'strong', `score ${sql.score}: ${sql.reasons.join('; ')}`);
    // "Good to merge?" over an open redirect, with no password, session or key in the code: a security review.
    const redirect = decide(attach('Good to merge?', 'routes/signin.js', 'javascript', redirectFromQuery));
    assert.equal(redirect.tier, 'strong', `score ${redirect.score}: ${redirect.reasons.join('; ')}`);
    assert.ok(redirect.reasons.includes('asks whether the attached code is right: a code review'), redirect.reasons.join('; '));
    // A mechanical edit of the same code stays cheap.
    const edit = decide(attach('Add a docstring to this function.', 'app/thumbs.py', 'python', shellFromQuery));
    assert.equal(edit.tier, 'cheap', `score ${edit.score}: ${edit.reasons.join('; ')}`);
  });
});
