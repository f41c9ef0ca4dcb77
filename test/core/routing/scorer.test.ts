import assert from 'node:assert/strict';
import { generateTypeScript } from '../../../bench/sourceGenerator';
import { promptWithAttachments } from '../../../src/core/prompts/attachments';
import { extractFeatures, type RoutingInput } from '../../../src/core/routing/features';
import { WORD_GROUPS } from '../../../src/core/routing/lexicon';
import { reasonsFor, scoreRequest } from '../../../src/core/routing/scorer';

const chat = (prompt: string, history?: RoutingInput['history']): RoutingInput => ({ task: 'chat', prompt, ...(history ? { history } : {}) });

const DEADLOCK = promptWithAttachments('why does this deadlock?', [
    {
      label: 'internal/pool/pool.go',
      languageId: 'go',
      text: 'func Process(jobs []Job, workers int) []Result {\n\tin := make(chan Job)\n\tout := make(chan Result)\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < workers; i++ {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tfor job := range in {\n\t\t\t\tout <- job.Run()\n\t\t\t}\n\t\t}()\n\t}\n\tfor _, job := range jobs {\n\t\tin <- job\n\t}\n\tclose(in)\n\twg.Wait()\n\tclose(out)\n\treturn collect(out)\n}',
    },
  ]);

describe('routing scorer (the shipped model)', () => {
  it('scores in [0, 1], the same every time', () => {
    for (const prompt of ['', 'hi', 'How do I reverse a list in Python?', DEADLOCK, generateTypeScript(3, 400)]) {
      const first = scoreRequest(chat(prompt)).score;
      assert.ok(first >= 0 && first <= 1, `score ${first}`);
      assert.equal(scoreRequest(chat(prompt)).score, first);
    }
  });

  it('ranks a short hard question above a one-fact lookup', () => {
    const lookup = scoreRequest(chat('How do I list all docker containers, including stopped ones?')).score;
    const deadlock = scoreRequest(chat(DEADLOCK)).score;
    const prove = scoreRequest(chat('Prove that this loop terminates for all positive integers a and b.')).score;
    assert.ok(deadlock > lookup, `deadlock ${deadlock} vs lookup ${lookup}`);
    assert.ok(prove > lookup, `proof ${prove} vs lookup ${lookup}`);
  });

  it('does not send a long but mechanical request up just for its length', () => {
    const file = generateTypeScript(12, 1500);
    const rename = scoreRequest(chat(promptWithAttachments('Rename `orderTotal` to `grandTotal` everywhere in this file.', [{ label: 'src/orders.ts', languageId: 'typescript', text: file }]))).score;
    const design = scoreRequest(chat('Design a rate limiter for our public API across 5 servers with Redis: token bucket or sliding window? Include failure modes.')).score;
    assert.ok(design > rename, `design ${design} vs rename of a ${file.length}-character file ${rename}`);
  });

  it('ranks a multi-step word problem above a one-step one', () => {
    const oneStep = scoreRequest(chat('A box holds 12 eggs. How many eggs are in 7 boxes?')).score;
    const manySteps = scoreRequest(
      chat('A store raises the price of a $80 jacket by 25%, then takes 20% off the new price. A $5 coupon applies after the discount, and 8% sales tax is added to the final price. How much does the customer pay?'),
    ).score;
    assert.ok(manySteps > oneStep, `${manySteps} vs ${oneStep}`);
  });

  it('reads a pasted stack trace as a trace, not as a long request full of numbers, and names it so', () => {
    const js = `TypeError: Cannot read properties of undefined (reading 'id')\n${Array.from({ length: 60 }, (_, i) => `    at Object.handler (/app/src/routes/orders.js:${i + 10}:15)`).join('\n')}`;
    const python = `Traceback (most recent call last):\n${Array.from({ length: 30 }, (_, i) => `  File "/app/svc/orders.py", line ${i + 10}, in handle`).join('\n')}\nKeyError: 'sku'`;
    // The frames, the header and the exception's line (`TypeError: …`, `KeyError: …`).
    for (const [trace, frames] of [[js, 61], [python, 32]] as const) {
      const result = scoreRequest(chat(`What is wrong?\n${trace}`));
      const reasons = result.factors.map((factor) => factor.text);
      assert.ok(reasons.includes(`${frames} lines of stack trace pasted`), reasons.join('; '));
      assert.ok(!reasons.some((reason) => /long request|numbers to work with|"most"/.test(reason)), reasons.join('; '));
    }
  });

  it('reads a pasted log as a log, not as a long request full of numbers, and names it so', () => {
    const log = Array.from({ length: 876 }, (_, i) => `2026-12-01T10:${String(i % 60).padStart(2, '0')}:05.123Z ${i % 7 ? 'INFO' : 'WARN'} [worker-${i % 4}] request id=${1000 + i} path=/api/orders status=200 duration_ms=${i % 90}`);
    const short = reasonsFor(scoreRequest(chat(`What happened here?\n${log.slice(0, 40).join('\n')}`)), 'cheap', { most: 10 }).concat(reasonsFor(scoreRequest(chat(`What happened here?\n${log.slice(0, 40).join('\n')}`)), 'strong', { most: 10 }));
    assert.ok(short.includes('40 lines of log pasted'), short.join('; '));
    const long = scoreRequest(chat(`Why does the service slow down?\n${log.join('\n')}`));
    const reasons = long.factors.map((factor) => factor.text);
    assert.ok(reasons.some((reason) => /^\d[\d,]* lines of log pasted$/.test(reason)), reasons.join('; '));
    assert.ok(!reasons.some((reason) => /long request|numbers to work with/.test(reason)), reasons.join('; '));
    assert.ok(reasonsFor(scoreRequest(chat(log.slice(0, 30).join('\n'))), 'cheap', { most: 10 }).includes('log only, no question asked'));
  });

  it('names a pasted table as a table, not as a long request full of numbers', () => {
    const rows = ['id,name,city,joined', ...Array.from({ length: 60 }, (_, i) => `${i + 1},Ben ${String.fromCharCode(65 + (i % 26))}.,Berlin,2025-02-${String((i % 28) + 1).padStart(2, '0')}`)];
    const reasons = scoreRequest(chat(`turn this into a markdown table\n\n${rows.join('\n')}`)).factors.map((factor) => factor.text);
    assert.ok(reasons.includes('61 lines of table pasted'), reasons.join('; '));
    assert.ok(!reasons.some((reason) => /long request|numbers to work with/.test(reason)), reasons.join('; '));
    assert.ok(scoreRequest(chat(rows.join('\n'))).factors.some((factor) => factor.text === 'table only, no question asked'));
  });

  it('reads hard questions in other languages as hard, naming the word in the reason', () => {
    const english = scoreRequest(chat('How do I exit vim without saving?')).score;
    const cases: Array<[string, RegExp]> = [
      ['Warum verklemmen sich meine zwei Threads, wenn beide die Sperren in umgekehrter Reihenfolge nehmen?', /concurrency \("verklemmen"\)/],
      ['Pourquoi ce code provoque-t-il un interblocage quand deux threads prennent les verrous ?', /concurrency \("interblocage"\)/],
      ['¿Cómo diseñar una arquitectura distribuida con consistencia fuerte?', /design question \("diseñar"\)/],
      ['Por que este código entra em impasse quando duas threads pegam os bloqueios?', /concurrency \("impasse"\)/],
      ['为什么两个线程以相反顺序获取锁时会死锁？', /concurrency \("线程"\)/],
      ['2つのスレッドが逆の順序でロックを取るとなぜデッドロックするのですか？', /concurrency \("スレッド"\)/],
    ];
    for (const [prompt, reason] of cases) {
      const result = scoreRequest(chat(prompt));
      assert.ok(result.score > english, `${prompt}: ${result.score} vs a vim lookup ${english}`);
      assert.ok(reasonsFor(result, 'strong').some((text) => reason.test(text)), `${prompt}: ${reasonsFor(result, 'strong').join('; ')}`);
    }
  });

  it('never names French "comment" ("how") as a mechanical edit, and still does for an English one', () => {
    const french = scoreRequest(chat('Comment renommer une variable dans tout le projet ?'));
    assert.ok(!french.factors.some((factor) => factor.text.includes('"comment"') && factor.text.startsWith('mechanical')), french.factors.map((f) => f.text).join('; '));
    assert.ok(french.factors.some((factor) => factor.text === 'mechanical edit ("renommer")'), french.factors.map((f) => f.text).join('; '));
    const english = scoreRequest(chat('Comment out the debug lines in this function'));
    assert.ok(english.factors.some((factor) => factor.text === 'mechanical edit ("comment")'), english.factors.map((f) => f.text).join('; '));
  });

  it('explains itself: reasons point the way of the tier, in words', () => {
    const hard = scoreRequest(chat(DEADLOCK));
    const strongReasons = reasonsFor(hard, 'strong');
    assert.ok(strongReasons.length >= 1 && strongReasons.length <= 3);
    assert.ok(strongReasons.some((reason) => /deadlock|concurren|threads|locks/.test(reason)), strongReasons.join('; '));
    const easy = scoreRequest(chat('What does the -p flag do in mkdir?'));
    const cheapReasons = reasonsFor(easy, 'cheap');
    assert.ok(cheapReasons.some((reason) => /short request|no code attached|lookup/.test(reason)), cheapReasons.join('; '));
    // Every factor named pushed that way.
    for (const factor of easy.factors.filter((f) => cheapReasons.includes(f.text))) assert.ok(factor.contribution < 0);
  });

  it('names a word once: the group reason that quotes it takes its weight, with no "mentions" beside it', () => {
    const prompt = 'Design a multi-region event-sourced payment system with exactly-once semantics';
    const result = scoreRequest(chat(prompt));
    const reasons = result.factors.map((factor) => factor.text);
    const group = result.factors.find((factor) => factor.text === 'design question ("design")');
    assert.ok(group, reasons.join('; '));
    assert.ok(!reasons.includes('mentions "design"'), reasons.join('; '));
    assert.ok(reasonsFor(result, 'strong').includes('design question ("design")'), reasons.join('; '));
  });

  it('says a message of code alone asks no question, rather than calling it a request of 0 words', () => {
    const code = '```ts\n' + Array.from({ length: 600 }, (_, i) => `  const value${i} = compute(input${i}, options);`).join('\n') + '\n```';
    const reasons = reasonsFor(scoreRequest(chat(code)), 'cheap', { most: 10 });
    assert.ok(reasons.includes('code only, no question asked'), reasons.join('; '));
    assert.ok(!reasons.some((reason) => reason.includes('0 words')), reasons.join('; '));
  });

  it('never gives a function word as a reason', () => {
    const result = scoreRequest(chat('What is the of and to a in for the this that?'));
    for (const factor of result.factors) assert.doesNotMatch(factor.text, /^mentions "(the|of|and|to|a|in|for|this|that|what|is)"$/);
    // Nor in the other languages read: `mentions "un"` was the third reason for this request.
    for (const prompt of ["L'API renvoie une erreur 500 quand j'envoie un JSON vide. D'où vient le problème ?", '¿Por qué mi servidor devuelve un error con los datos de la tabla?', 'Warum ist die Funktion in der Schleife so langsam und was kann ich tun?']) {
      const texts = scoreRequest(chat(prompt)).factors.map((factor) => factor.text);
      for (const text of texts) assert.doesNotMatch(text, /^mentions "(un|une|le|la|les|je|il|el|los|mi|der|ist|und|ich|de|en|con)"$/, `${prompt}: ${texts.join('; ')}`);
    }
  });

  it('never quotes a word a French elision or a hyphenated pronoun split off: the "d" of "d\'où", "je l" of "je l\'ai"', () => {
    // The scanner reads "d'où" as "d" and "où", "plante-t-il" as "plante", "t", "il": words to hash, not reasons.
    const cut = /^mentions "((.* )?(d|l|j|m|t|s|n|c|qu)|moi|tu|il|t-il|plante-t)"$/;
    const said = reasonsFor(scoreRequest(chat("D'accord, d'où vient l'erreur d'import ?")), 'cheap');
    assert.ok(!said.includes('mentions "d"'), said.join('; '));
    for (const prompt of [
      "D'accord, d'où vient l'erreur d'import ?",
      'Pourquoi mon code plante-t-il ? Explique-moi, je l\'ai lancé avec l’option --force.',
      "Qu'est-ce qu'une fermeture ? Peux-tu m'aider, s'il te plaît ?",
      "Concevez l'architecture d'un système de réservation distribué : 3 régions",
    ]) {
      const texts = scoreRequest(chat(prompt)).factors.map((factor) => factor.text);
      for (const text of texts) assert.doesNotMatch(text, cut, `${prompt}: ${texts.join('; ')}`);
      // The elision quoted with its word reads as the request does.
      if (prompt.startsWith("D'accord")) assert.ok(texts.includes('mentions "d\'où"'), texts.join('; '));
    }
  });

  it('quotes "C++" and "C#" whole, not as a cut "c"', () => {
    for (const [prompt, language] of [["Was bedeutet 'const' in C++?", 'c++'], ['What does the ?? operator do in C#?', 'c#']] as const) {
      const texts = scoreRequest(chat(prompt)).factors.map((factor) => factor.text);
      assert.ok(!texts.some((text) => /^mentions "(.* )?c"$/.test(text)), `${prompt}: ${texts.join('; ')}`);
      assert.ok(texts.some((text) => text.startsWith('mentions "') && text.endsWith(`${language}"`)), `${prompt}: ${texts.join('; ')}`);
    }
    // An operator between words is not a language's sign: "a+b" quotes "a".
    assert.ok(!scoreRequest(chat('why is a+b slower than b+a in numpy?')).factors.some((factor) => /\+"$/.test(factor.text)));
  });

  it('names a word group only when one of its words is in the request', () => {
    // The model weighs a group's absence too; "lookup question" for a request with no lookup word misleads.
    for (const prompt of ['¿Por qué se bloquea mi servidor cuando hay muchas conexiones?', 'What port does Redis listen on by default?', 'undo last commit but keep changes']) {
      const result = scoreRequest(chat(prompt));
      const found = extractFeatures(chat(prompt)).stats.groupWords;
      for (const group of WORD_GROUPS) {
        if (found[group.id] !== undefined) continue;
        assert.ok(!result.factors.some((factor) => factor.text.startsWith(group.label)), `${group.label} named for "${prompt}": ${result.factors.map((f) => f.text).join('; ')}`);
      }
    }
    const why = reasonsFor(scoreRequest(chat('¿Por qué se bloquea mi servidor cuando hay muchas conexiones?')), 'strong', { most: 10 });
    assert.ok(why.includes('asks why ("por qué")'), why.join('; '));
  });

  it('says so when no factor is strong enough to name', () => {
    assert.deepEqual(reasonsFor({ score: 0.5, factors: [{ text: 'tiny', contribution: 0.001 }] }, 'strong'), ['scored above the dial’s threshold']);
  });
});
