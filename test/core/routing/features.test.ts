import assert from 'node:assert/strict';
import { generateTypeScript } from '../../../bench/sourceGenerator';
import { promptWithAttachments } from '../../../src/core/prompts/attachments';
import { buildPlanRequest } from '../../../src/core/prompts/planPrompt';
import { DENSE_FEATURES, extractFeatures, HASH_SIZE, NAMESPACES, type DenseFeature, type RoutingInput } from '../../../src/core/routing/features';
import { WORD_GROUPS } from '../../../src/core/routing/lexicon';
import { WORDS_IN_OTHER_LANGUAGES } from '../../../src/core/routing/lexiconLanguages';
import type { ChatMessage } from '../../../src/core/types';

function dense(input: RoutingInput): Record<string, number> {
  const features = extractFeatures(input);
  return Object.fromEntries(DENSE_FEATURES.map((name, index) => [name, features.dense[index]!]));
}

const chat = (prompt: string, history?: RoutingInput['history']): RoutingInput => ({ task: 'chat', prompt, ...(history ? { history } : {}) });

describe('routing features', () => {
  it('reads a short question as prose with no code', () => {
    const { stats } = extractFeatures(chat('How do I reverse a list in Python?'));
    assert.equal(stats.proseWords, 8);
    assert.equal(stats.questions, 1);
    assert.equal(stats.codeLines, 0);
    assert.equal(dense(chat('How do I reverse a list in Python?')).noCode, 1);
  });

  it('counts fenced code apart from the question, and names the attached file', () => {
    const prompt = promptWithAttachments('Why does f return 3?', [{ label: 'src/app.ts:3-7', languageId: 'typescript', text: 'const a = 1;\nconst b = a + 2;\nexport function f() {\n  return a * b;\n}' }]);
    const { stats } = extractFeatures(chat(prompt));
    assert.equal(stats.codeBlocks, 1);
    assert.equal(stats.codeLines, 5);
    assert.equal(stats.proseWords, 5, 'numbers are words too');
    assert.equal(stats.files, 1);
  });

  it('finds unfenced code lines by their shape, and keeps a docstring as prose', () => {
    const prompt = 'def remove_negatives(numbers: list[int]) -> list[int]:\n    """Return the list without negative numbers, keeping the order.\n    >>> remove_negatives([3, -1, 0])\n    [3, 0]\n    """';
    const { stats } = extractFeatures(chat(prompt));
    assert.equal(stats.codeLines, 4, 'the signature, the doctest, its output and the closing quotes');
    assert.ok(stats.proseWords >= 9, `the docstring sentence is prose (${stats.proseWords} words)`);
  });

  it('reads words in `inline code` as code, not as what is asked', () => {
    const plain = extractFeatures(chat('Please design the schema'));
    const inline = extractFeatures(chat('Rename `design` to `schema`'));
    assert.equal(plain.stats.groupWords.design, 'design');
    assert.equal(inline.stats.groupWords.design, undefined);
    assert.ok([...inline.namespaces].includes(NAMESPACES.indexOf('code')));
  });

  it('matches word groups on whole lower-case words and remembers the first word found', () => {
    const { stats } = extractFeatures(chat('Why does this DEADLOCK? It hangs when two threads lock the mutex.'));
    assert.equal(stats.groupWords.concurrency, 'deadlock');
    assert.equal(stats.groupWords.reasoning, 'why');
    assert.equal(stats.groupWords.debug, 'hangs');
  });

  it('counts numbers, mathematical notation and multiple-choice options', () => {
    const problem = extractFeatures(chat('A shirt costs $25.50 and is 20% off; 3 shirts and 2 hats at $7 each. Total?'));
    assert.equal(problem.stats.numbers, 5);
    const notation = extractFeatures(chat('Find the minimum of f(x) = x^2 - 6x + 13 for x ∈ ℝ.'));
    assert.ok(notation.stats.mathNotation >= 2);
    const question = extractFeatures(chat('Which organ produces insulin?\nA) Liver\nB) Pancreas\nC) Kidney\nD) Spleen'));
    assert.equal(question.stats.choices, 4);
    assert.equal(dense(chat('Which organ produces insulin?\nA) Liver\nB) Pancreas\nC) Kidney\nD) Spleen')).choices, 1);
  });

  it('reads a regex pasted in a question as neither exponents nor extra questions', () => {
    const regex = extractFeatures(chat("what does this regex do: ^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+)@example\\.com$"));
    assert.equal(regex.stats.mathNotation, 0, 'an anchor or a negation caret has no base before it');
    assert.equal(regex.stats.questions, 0, '`(?:` and `=?` end no question');
    const asked = extractFeatures(chat('Why does `a?.b ?? c` return undefined? And (why?) is x^2 "wrong"?'));
    assert.equal(asked.stats.questions, 3);
    assert.equal(asked.stats.mathNotation, 1, 'x^2 is still an exponent');
  });

  it('counts Chinese and Japanese, written without spaces, as a reader sees words (not one a character), and Korean by its spaces', () => {
    // 怎么|排序|列表; Intl.Segmenter: 怎么|排序|列表 too.
    assert.equal(extractFeatures(chat('Python 怎么排序列表？')).stats.proseWords, 4);
    // 決済|システム|の|分散|アーキテクチャ|を|設計|して|くだ|さい; Intl.Segmenter: 決済|システム|の|分散|アーキテクチャ|を|設計|し|て|ください.
    const japanese = extractFeatures(chat('決済システムの分散アーキテクチャを設計してください。'));
    assert.equal(japanese.stats.proseWords, 10);
    // The fourth tryout's d-20 was a "short request (25 words)"; Intl.Segmenter counts 16.
    assert.equal(extractFeatures(chat('Pythonでファイルを一行ずつ読むにはどうすればいいですか？')).stats.proseWords, 14);
    assert.equal(japanese.stats.codeLines, 0);
    assert.equal(extractFeatures(chat('파이썬에서 리스트를 정렬하는 방법은?')).stats.proseWords, 4);
    const history = extractFeatures(chat('続けて', [{ role: 'user', content: '分散アーキテクチャ' }]));
    assert.ok(history.indices.length > 2, 'earlier turns in these scripts are hashed too');
  });

  it('reads "consistent" as a design word, as "consistency" is', () => {
    assert.equal(extractFeatures(chat('How do I keep a Redis cache consistent with Postgres when several services write the same rows?')).stats.groupWords.design, 'consistent');
  });

  it('reads a maths question with dense brackets and `=` as a sentence, not as a line of code', () => {
    for (const prompt of ['Solve for x: 2^(x+1) = 32.', 'If f(x) = x^2 - 5x + 6, find all x with f(x) = 0.', 'Calcula 2^(n+1) - 1 para n = 10.']) {
      const { stats } = extractFeatures(chat(prompt));
      assert.equal(stats.codeLines, 0, prompt);
      assert.ok(stats.proseWords >= 2 && stats.mathNotation >= 1, `${prompt}: ${stats.proseWords} words, ${stats.mathNotation} notation`);
    }
    // However it opens or ends: a bracket after the first word, no full stop, a one-letter function applied.
    for (const prompt of ['Simplify (x^2-4)/(x-2).', 'f(x) = 3x + 2, what is f(4)', 'If f(x) = x^2 - 5x + 6, find all x with f(x) = 0', 'g(t) = 4t - 7']) {
      assert.equal(extractFeatures(chat(prompt)).stats.codeLines, 0, prompt);
    }
    // Code that applies one-letter names or raises to a power is code while it has a mark only code has.
    for (const prompt of ['y = f(x);', 'mask = a ^ b == c', 'r = f(x) => x^2', 'out = s.f(3x)']) {
      assert.equal(extractFeatures(chat(prompt)).stats.codeLines, 1, prompt);
    }
    // Code that ends in a full stop or a question mark without opening like a sentence is still code.
    for (const prompt of ['if (a && b) { run(); }', 'x = (a + b) * (c - d)', 'if x > 0:', 'foo(X) -> {ok, X + 1}.']) {
      assert.equal(extractFeatures(chat(prompt)).stats.codeLines, 1, prompt);
    }
  });

  it('counts the words of a line of maths, not its symbols: x, f and the numbers of an equation are not words', () => {
    // Read as words, the symbols made "If f(x) = …, find all x such that f(x) = 0." a 15-word problem.
    const { stats } = extractFeatures(chat('If f(x) = x^2 \u2212 5x + 6, find all x such that f(x) = 0.'));
    assert.equal(stats.proseWords, 5);
    assert.equal(stats.numbers, 4);
    assert.equal(extractFeatures(chat('Solve the system: x + y = 10 and x - y = 4.')).stats.proseWords, 4);
    // Words around numbers in a word problem, and "a" and "I", are still words.
    assert.equal(extractFeatures(chat('A box holds 12 eggs. How many eggs are in 7 boxes?')).stats.proseWords, 12);
    assert.equal(extractFeatures(chat('Is x a good name for a loop variable?')).stats.proseWords, 9);
  });

  it('does not read a unit or two words joined by one slash as a file: "km/h", "$2.40/kg", "undo/redo"', () => {
    for (const prompt of [
      'A train travels at 90 km/h for 3 hours. How far does it go?',
      'Apples cost $2.40/kg. How much do 3 kg cost?',
      'How would you model undo/redo in a drawing app?',
      'What is the pH of a solution of 1 × 10⁻³ mol/L?',
    ]) {
      const { stats } = extractFeatures(chat(prompt));
      assert.equal(stats.files + stats.fileListLines, 0, prompt);
    }
    assert.equal(extractFeatures(chat('A train travels at 90 km/h for 3 hours. How far does it go?')).stats.groupWords.arithmetic, 'km');
    for (const prompt of ['Why does src/components break the build?', 'Open src/app.ts and explain it.', 'What is in packages/api?', 'Clean up ./build please']) {
      assert.equal(extractFeatures(chat(prompt)).stats.files, 1, prompt);
    }
  });

  it('does not read the length of a request that names the project\'s files as the length of a word problem', () => {
    // A request about files it does not attach describes them; a word problem's length is its steps.
    assert.equal(dense(chat('Find every TODO in the files under src/ and list them with their line numbers.')).proseWordsNoCode, 0);
    assert.ok(dense(chat('A baker makes 120 muffins. She sells 45 in the morning and 38 in the afternoon. How many muffins are left?')).proseWordsNoCode! > 2);
  });

  it('reads the rows of a pasted table (CSV, tab-separated, markdown) as data, not as prose', () => {
    const rows = ['id,name,city,joined', ...Array.from({ length: 40 }, (_, i) => `${i + 1},Ann ${String.fromCharCode(65 + (i % 26))}.,Lisbon,2025-01-${String((i % 28) + 1).padStart(2, '0')}`)];
    const csv = extractFeatures(chat(`turn this into a markdown table\n\n${rows.join('\n')}`)).stats;
    assert.equal(csv.proseWords, 6);
    assert.equal(csv.numbers, 0);
    assert.equal(csv.codeLines, 41);
    assert.equal(csv.dataLines, 41);
    const tabs = extractFeatures(chat('sum the last column\nname\tqty\tprice\napple\t3\t1.20\npear\t5\t0.90')).stats;
    assert.equal(tabs.dataLines, 3);
    const markdown = extractFeatures(chat('sort this by size\n| file | size |\n| --- | --- |\n| a.ts | 10 |\n| b.ts | 30 |')).stats;
    assert.equal(markdown.dataLines, 4);
    assert.equal(markdown.files, 0);
    // Prose puts a space after its commas, and a question is a person's.
    const prose = extractFeatures(chat('I tried Redis, Memcached, and Hazelcast.\nThen I tried Postgres, MySQL, and SQLite.\nWhich one, of all, fits best?')).stats;
    assert.equal(prose.dataLines, 0);
    assert.equal(prose.codeLines, 0);
  });

  it('reads "port" as a verb in French, German, Spanish and Portuguese: a conversion, or a migration of a whole', () => {
    const group = (prompt: string) => {
      const { groupWords } = extractFeatures(chat(prompt)).stats;
      return groupWords.plan ? `plan:${groupWords.plan}` : groupWords.convert ? `convert:${groupWords.convert}` : 'none';
    };
    assert.equal(group('¿Puedes portar esta función a Go?'), 'convert:portar');
    assert.equal(group('pode portar para Go?'), 'convert:portar');
    assert.equal(group('Precisamos portar todo o serviço de faturamento de PHP para Go sem downtime.'), 'plan:portar');
    assert.equal(group('Necesitamos portar el proyecto completo de Angular a React.'), 'plan:portar');
    assert.equal(group('Wie portiere ich unser gesamtes Backend von Python 2 nach Python 3?'), 'plan:portiere');
    assert.equal(group('Comment porter ce module d\'authentification de Java vers Kotlin ?'), 'plan:porter');
    assert.equal(group('ok now port it to TypeScript'), 'convert:port');
    // The noun, and English "porter", stay out.
    assert.equal(group('Implement the Porter stemmer in Python'), 'none');
    assert.equal(group('Quel port utilise PostgreSQL par défaut ?'), 'none');
    assert.equal(group('Welchen Port nutzt Redis standardmäßig?'), 'none');
    assert.equal(group('which port does this service listen on?'), 'none');
  });

  it('reads "write", "create", "generate" and "implement" as a request only where a request puts them', () => {
    const write = (prompt: string) => extractFeatures(chat(prompt)).stats.groupWords.write;
    assert.equal(write('How do I keep a Redis cache consistent with Postgres when several services write the same rows?'), undefined);
    assert.equal(write('Our workers create a new database connection per job and Postgres runs out of connections.'), undefined);
    assert.equal(write('Our microservices generate UUIDs for order IDs and we see duplicates.'), undefined);
    assert.equal(write('We have three services that each implement their own retry logic.'), undefined);
    assert.equal(write('what if a write succeeds in Mongo and fails in Postgres?'), undefined);
    assert.equal(write('Can you write a bash one-liner that counts lines?'), 'write');
    assert.equal(write('write a regex that matches ISO 8601 dates'), 'write');
    assert.equal(write('How do I create a virtualenv?'), 'create');
    assert.equal(write('Task: implement an LRU cache'), 'implement');
    assert.equal(write('Please help me generate a changelog'), 'generate');
  });

  it('reads "query", "regex", "function", "script"… as asked for, unless a word before them points at one that exists', () => {
    // The fourth tryout's d-27 (a slow SQL query, level 2) read as a request to write a query.
    const groups = (prompt: string) => extractFeatures(chat(prompt)).stats.groupWords;
    assert.equal(groups('This query takes 40 seconds on a 20M-row table, how do I make it fast?').write, undefined);
    assert.equal(groups('This query takes 40 seconds on a 20M-row table, how do I make it fast?').perf, 'fast');
    assert.equal(groups('what does the regex ^a+$ match?').write, undefined);
    assert.equal(groups('my script hangs when the disk is full').write, undefined);
    assert.equal(groups('Write a SQL query that counts orders per status').write, 'write');
    assert.equal(groups('SQL query to count orders per status').write, 'query');
    assert.equal(groups('a regex for ISO 8601 dates').write, 'regex');
    assert.equal(groups('Our query is slow; give me a query that uses the index').write, 'query');
  });

  it('reads "review" as a code review, in English and the other languages', () => {
    // The fourth tryout's d-16, "Can you review this before I merge it?" over subtly buggy code, had no word group.
    // With the code to review attached: without it no model can review anything (the next test).
    const review = (prompt: string) => extractFeatures(chat(`${prompt}\n\`\`\`js\nexport const limit = items.slice(0, n - 1);\n\`\`\``)).stats.groupWords.review;
    assert.equal(review('Can you review this before I merge it?'), 'review');
    assert.equal(review('Peux-tu relire ce code avant que je le fusionne ?'), 'relire');
    assert.equal(review('Kannst du das überprüfen, bevor ich merge?'), 'überprüfen');
    assert.equal(review('¿Puedes revisar esto antes de hacer merge?'), 'revisar');
    assert.equal(review('合并之前帮我审查一下这段代码'), '审查');
    assert.equal(review('マージする前にレビューしてください'), 'レビュー');
    assert.equal(review('How do I rename a variable?'), undefined);
  });

  it('reads "this function" in French, German, Spanish, Portuguese, Chinese and Japanese as code that exists, not as a request for one', () => {
    // Only English had determiners: "cette fonction", "diese Funktion", "esta función", "这个函数", "この関数" read as "write one".
    const write = (prompt: string) => extractFeatures(chat(prompt)).stats.groupWords.write;
    for (const prompt of [
      'Que fait cette fonction ?',
      'Ajoute des commentaires à la fonction, en français.',
      'Was macht diese Funktion?',
      'Erkläre mir bitte, was meine Funktion macht.',
      '¿Qué hace esta función?',
      'Renombra la función getUser a fetchUser.',
      'O que faz esta função?',
      'Explique esse exemplo da documentação.',
      '这个函数是做什么的？',
      '给该函数加上注释。',
      'この関数は何をしますか？',
      'その正規表現を説明してください',
    ]) {
      assert.equal(write(prompt), undefined, prompt);
    }
    assert.equal(write('une fonction qui trie une liste'), 'fonction');
    assert.equal(write('eine Funktion, die eine Liste sortiert'), 'funktion');
    assert.equal(write('una función que ordene una lista'), 'función');
    assert.equal(write('uma função que ordena uma lista'), 'função');
    assert.equal(write('我需要一个函数，把列表排序'), '函数');
    assert.equal(write('リストを並べ替える関数がほしい'), '関数');
    assert.equal(write('サンプルを作成して'), 'サンプル');
  });

  it('reads "review" as a code review only in a request about code: "judicial review" is none', () => {
    // know-053, a multiple-choice question on Marbury v. Madison, read "It established judicial review" as a code review.
    const review = (input: RoutingInput) => extractFeatures(input).stats.groupWords.review;
    const marbury =
      'Which of the following best describes the holding in Marbury v. Madison?\nA) It established judicial review\nB) It upheld segregation\n' +
      'C) It defined interstate commerce\nD) It created the Federal Reserve';
    for (const prompt of [marbury, 'What is peer review?', 'Write a literature review of sleep studies since 2010.', '¿Qué es la revisión por pares?', '什么是同行评审？']) {
      assert.equal(review(chat(prompt)), undefined, prompt);
    }
    // Code to review: code attached, inline code, a file, a Plan request, or code earlier in the conversation.
    assert.equal(review(chat(promptWithAttachments('Review this for bugs.', [{ label: 'src/a.ts', languageId: 'typescript', text: 'export const a = 1;' }]))), 'review');
    assert.equal(review(chat('Review `parseDate` for edge cases.')), 'review');
    // A file named is not the file: "Can you review src/cost.ts?" with nothing attached is a review no model can do.
    for (const prompt of ['Can you review src/cost.ts?', 'Review src/auth.ts', 'Review `src/auth.ts` before I merge.', 'review src/auth.ts and src/session.ts']) {
      assert.equal(review(chat(prompt)), undefined, prompt);
      assert.equal(extractFeatures(chat(prompt)).stats.reviewUnseen, true, prompt);
    }
    // A code noun with nothing attached is a code review no model can do from the request: not the group, but said so.
    for (const prompt of ['Can you review my PR before I merge it?', 'Please review the diff.', '¿Puedes revisar mi código?', '合并之前帮我审查一下代码', 'マージ前にレビューして']) {
      assert.equal(review(chat(prompt)), undefined, prompt);
      assert.equal(extractFeatures(chat(prompt)).stats.reviewUnseen, true, prompt);
    }
    assert.equal(extractFeatures(chat('What is peer review?')).stats.reviewUnseen, false);
    assert.equal(review(chat(promptWithAttachments('Can you review my PR before I merge it?', [{ label: 'src/page.ts', languageId: 'typescript', text: 'export const page = (n: number) => n - 1;' }]))), 'review');
    assert.equal(review(chat('¿Puedes revisar mi código?\n```py\nprint(items[len(items)])\n```')), 'revisar');
    assert.equal(review(chat('请审查这段代码\n```py\nprint(items[len(items)])\n```')), '审查');
    assert.equal(review({ task: 'plan', prompt: 'Review the rollout plan.' }), 'review');
    // The same "Review src/auth.ts" with the file attached in chat, or as a Plan goal with it in focus, is a code review.
    // Read as a listing of files, the line's "review" went unread: "nothing asked", "code only, no question asked".
    const auth = { label: 'src/auth.ts', languageId: 'typescript', text: 'export function login(user: string) {\n  return db.query(`SELECT * FROM users WHERE name = \'${user}\'`);\n}' };
    assert.equal(review(chat(promptWithAttachments('Review src/auth.ts', [auth]))), 'review');
    const plan = buildPlanRequest({ goal: 'Review src/auth.ts', code: { path: auth.label, languageId: auth.languageId, text: auth.text }, openEditors: [auth.label], files: [auth.label, 'src/db.ts'] }, 1_500);
    assert.equal(review({ task: 'plan', prompt: String(plan.messages[0]!.content) }), 'review');
    // A listing is still a listing: paths alone, or with a number, git's status letter or a label.
    for (const listing of ['src/auth.ts\nsrc/db.ts', 'M src/auth.ts\nA src/db.ts', 'modified: src/auth.ts', 'src/auth.ts 120']) {
      assert.ok(extractFeatures(chat(listing)).stats.fileListLines > 0, listing);
    }
    const history: ChatMessage[] = [{ role: 'user', content: 'Is this safe?\n```js\ndb.query(`SELECT * FROM t WHERE a = ${a}`);\n```' }, { role: 'assistant', content: 'No: SQL injection.' }];
    assert.equal(review(chat('Now review the rest with the same eye.', history)), 'review');
    assert.equal(review(chat('Now review the rest with the same eye.')), undefined);
  });

  it('reads a linear or quadratic equation in one unknown as one, and harder maths as more', () => {
    // The brief's quadratic went strong on its notation and numbers: nothing told an x^2 of school algebra from an olympiad's.
    const low = (prompt: string) => extractFeatures(chat(prompt)).stats.lowDegreeEquation;
    for (const prompt of [
      'If f(x) = x^2 − 5x + 6, find all x such that f(x) = 0.',
      'x^2 = 16',
      'Solve for x: 2x + 5 = 17.',
      'Expand (2x + 3)^2.',
      'If h(t) = -5t^2 + 20t, at what time t > 0 is h(t) = 0?',
      'Let h(x) = x^2 - 2x - 15. Find the zeros of h.',
    ]) {
      assert.equal(low(prompt), true, prompt);
    }
    for (const prompt of [
      'Find all x such that x^4 - 5x^2 + 4 = 0.',
      'Find the remainder when 3^2024 is divided by 100.',
      'Solve the system: x + y = 10 and x - y = 4.',
      'Find all real x such that sqrt(2x + 3) = x.',
      'Let f(x) = x^2 - 6x + 13. Find the minimum value of f(f(x)) over all real x.',
      'Find all real x with |x^2 - 4| = 3x, checking each case.',
      'Find the largest integer n such that n^2 + 20n is a perfect square.',
      'Solve 3^(x-1) = 81.',
      'How do I reverse a list in Python?',
      'Why is x = x + 1 slow here?\n```py\nfor i in range(10**9):\n    x = x + 1\n```',
    ]) {
      assert.equal(low(prompt), false, prompt);
    }
  });

  it('reads "under" before a folder or a path as a place, and before a quantity as a constraint', () => {
    const constraint = (prompt: string) => extractFeatures(chat(prompt)).stats.groupWords.constraint;
    for (const prompt of [
      'list the files under src',
      'Find every TODO in the files under src/ and list them with their line numbers.',
      'How do I delete all the .pyc files under the tests folder?',
      'find files larger than 1 MB under ~/projects',
      'Rename every test file under `packages/api` from .spec.ts to .test.ts.',
      'what is under lib/utils?',
      'count everything under app',
    ]) {
      assert.equal(constraint(prompt), undefined, prompt);
    }
    for (const prompt of [
      'This image is 1.4 GB. Get it under 200 MB without breaking the build.',
      'It has to answer under 100 ms at p99.',
      'it should finish in under a second on the hardest puzzles',
      'keep every file under 300 lines',
      'files under 10 KB are inlined; why are mine not?',
      'Under load this stalls other requests.',
    ]) {
      assert.equal(constraint(prompt), 'under', prompt);
    }
  });

  it('matches no word group on the words of a file path', () => {
    const { stats } = extractFeatures(chat('Rename the variable in src/test/design.ts and in lib/cost.py'));
    assert.deepEqual(Object.keys(stats.groupWords), ['mechanical'], JSON.stringify(stats.groupWords));
    assert.equal(stats.files, 2);
    assert.ok('design' in extractFeatures(chat('Rename it, then design the test')).stats.groupWords, 'the same words in prose still count');
  });

  it('sees a Plan request\'s goal as prose and its workspace listing as files', () => {
    const request = buildPlanRequest({ goal: 'Add a health check endpoint', files: ['src/app.ts', 'src/routes/health.ts', 'test/app.test.ts'], openEditors: ['src/app.ts'] }, 1000);
    const features = extractFeatures({ task: 'plan', prompt: request.messages[0]!.content });
    assert.equal(features.stats.plan, true);
    assert.equal(features.stats.fileListLines, 4);
    assert.equal(features.stats.groupWords.plan, undefined);
    assert.ok(features.stats.proseWords <= 12, `only the goal and headers are prose (${features.stats.proseWords} words)`);
  });

  it('reads the conversation so far: turns, size and whether it was about something hard', () => {
    const easy = extractFeatures(chat('and in Go?', [{ role: 'user', content: 'How do I reverse a list in Python?' }, { role: 'assistant', content: 'Use reversed().' }]));
    const hard = extractFeatures(chat('and in Go?', [{ role: 'user', content: 'Why does this deadlock under load?' }, { role: 'assistant', content: 'Lock order.' }]));
    assert.equal(easy.stats.historyTurns, 1);
    assert.equal(easy.stats.historyHardTopic, false);
    assert.equal(hard.stats.historyHardTopic, true);
    assert.ok([...hard.namespaces].includes(NAMESPACES.indexOf('history')));
  });

  it('reads only the newest user turns of a long conversation as words, and counts them all', () => {
    const recent: ChatMessage[] = [];
    for (let turn = 0; turn < 8; turn++) {
      recent.push({ role: 'user', content: `How do I format the date in row ${turn} as ISO? `.repeat(20) }, { role: 'assistant', content: 'Use toISOString().' });
    }
    // 92 older messages, each user turn 4,000 characters about a deadlock: counted, not read.
    const older: ChatMessage[] = [];
    for (let turn = 0; turn < 46; turn++) older.push({ role: 'user', content: 'Why does the scheduler deadlock on the queue lock? '.repeat(80).slice(0, 4000) }, { role: 'assistant', content: 'Lock order.' });
    const short = extractFeatures(chat('and the time zone?', recent));
    const long = extractFeatures(chat('and the time zone?', [...older, ...recent]));
    assert.equal(long.stats.historyTurns, 54);
    assert.equal(long.stats.historyHardTopic, false, 'a deadlock 9 user turns back is not what the conversation is about now');
    const history = NAMESPACES.indexOf('history');
    const read = (features: ReturnType<typeof extractFeatures>) => [...features.indices].filter((_, k) => features.namespaces[k] === history);
    assert.deepEqual(read(long), read(short), 'the same words are read whatever came before the newest turns');
  });

  it('normalises each hashed namespace to unit length, with buckets in range', () => {
    const features = extractFeatures(chat(promptWithAttachments('Explain this module and its main class.', [{ label: 'a.ts', languageId: 'typescript', text: generateTypeScript(1, 80) }])));
    for (let namespace = 0; namespace < NAMESPACES.length; namespace++) {
      let norm = 0;
      for (let k = 0; k < features.indices.length; k++) {
        assert.ok(features.indices[k]! >= 0 && features.indices[k]! < HASH_SIZE);
        if (features.namespaces[k] === namespace) norm += features.values[k]! ** 2;
      }
      if (norm > 0) assert.ok(Math.abs(norm - 1) < 1e-5, `namespace ${NAMESPACES[namespace]} has norm ${norm}`);
    }
  });

  it('gives the same features for the same request every time (scratch buffers are reset)', () => {
    const input = chat('Why does this deadlock sometimes? `transfer` locks both accounts.');
    const first = extractFeatures(input);
    extractFeatures(chat(generateTypeScript(4, 300)));
    const again = extractFeatures(input);
    assert.deepEqual([...again.dense], [...first.dense]);
    assert.deepEqual([...again.indices], [...first.indices]);
    assert.deepEqual([...again.values], [...first.values]);
  });

  it('reads a 100 KB request at its start and end, keeping fences paired across the skipped middle', () => {
    const code = generateTypeScript(9, 3000).slice(0, 100_000);
    const prompt = promptWithAttachments('Why is the discount applied twice?', [
        { label: 'src/big.ts', languageId: 'typescript', text: code },
        { label: 'src/small.ts', languageId: 'typescript', text: 'export const x = 1;' },
      ]);
    const features = extractFeatures(chat(prompt));
    assert.equal(features.stats.codeBlocks, 2);
    assert.equal(features.stats.groupWords.reasoning, 'why', 'the question at the end is read in full');
    const actualLines = code.split('\n').length + 1;
    assert.ok(Math.abs(features.stats.codeLines - actualLines) / actualLines < 0.15, `about ${actualLines} code lines, estimated ${features.stats.codeLines}`);
    assert.ok(features.stats.proseWords < 20, `the skipped middle is code, not prose (${features.stats.proseWords} prose words)`);
  });

  it('reads one very long line (minified code) only in part, and still calls it code', () => {
    const minified = 'function a(b){return b+1};'.repeat(4000);
    const features = extractFeatures(chat(`${minified}\nwhat does this do?`));
    assert.equal(features.stats.codeLines, 1);
    assert.equal(features.stats.proseWords, 4);
  });

  describe('in other languages', () => {
    it('splits French elisions and hyphenated pronouns into their words, and reads Portuguese "a função" as the function', () => {
      // "l'exemple", "d'une", "Explique-moi" and "Écris-moi" were one word each, which no group knows.
      const groups = (prompt: string) => extractFeatures(chat(prompt)).stats.groupWords;
      assert.equal(groups("Écris-moi un exemple d'une fonction qui trie une liste").write, 'écris');
      assert.equal(groups('Explique-moi ce code').explain, 'explique');
      assert.equal(groups('Peux-tu expliquer le code ?').explain, 'expliquer');
      assert.equal(groups('Explique-me este código').explain, 'explique');
      assert.equal(groups('Pourquoi mon code plante-t-il quand la liste est vide ?').debug, 'plante');
      assert.equal(groups("L'algorithme est-il correct ? Prouve-le.").proof, 'prouve');
      // "l'exemple", "l’exemple": the example there is; "d'une fonction", "une fonction": one asked for.
      assert.equal(groups("Que fait l'exemple ?").write, undefined);
      assert.equal(groups('Que fait l’exemple ?').write, undefined);
      assert.equal(groups("Il me faut le code d'une fonction qui trie une liste").write, 'fonction');
      assert.equal(groups("J'ai besoin d'une fonction qui trie une liste").write, 'fonction');
      // Portuguese "a" and "o" are "the" before Portuguese nouns; English "a function" still asks for one.
      assert.equal(groups('O que faz a função abaixo?').write, undefined);
      assert.equal(groups('Explique o exemplo da documentação').write, undefined);
      assert.equal(groups('uma função que ordena uma lista').write, 'função');
      assert.equal(groups('a function that sorts a list').write, 'function');
      // English hyphens and apostrophes keep their words: "big-O", "add-on", "don't".
      assert.equal(groups('What is the big-O of this loop?').perf, 'big-o');
      assert.equal(extractFeatures(chat("Why don't add-on hooks run?")).stats.proseWords, 5);
      // The elided article is a word, not an unknown: "l'équation x^2 = 4" is one equation in x.
      assert.equal(extractFeatures(chat("Résoudre l'équation x^2 = 4.")).stats.lowDegreeEquation, true);
    });

    it('knows the familiar and polite imperatives of write, explain and review', () => {
      // German "Schreib" (and "Erklär") were in no group: "Schreib eine Funktion…" read "Funktion" alone.
      const groups = (prompt: string) => extractFeatures(chat(prompt)).stats.groupWords;
      for (const [prompt, id, word] of [
        ['Schreib mir ein Skript, das Dateien umbenennt', 'write', 'schreib'],
        ['Schreibe eine Klasse für Benutzer', 'write', 'schreibe'],
        ['Erstell mir eine Klasse', 'write', 'erstell'],
        ['Erstelle eine Klasse für Benutzer', 'write', 'erstelle'],
        ['Generiere eine Klasse für Benutzer', 'write', 'generiere'],
        ['Erklär mir das', 'explain', 'erklär'],
        ['Erkläre mir das', 'explain', 'erkläre'],
        ['Beschreib kurz, was das macht', 'explain', 'beschreib'],
        ['Écrivez une classe pour les utilisateurs', 'write', 'écrivez'],
        ['Expliquez ce code', 'explain', 'expliquez'],
        ['Escríbeme una clase para usuarios', 'write', 'escríbeme'],
        ['Explícame este código', 'explain', 'explícame'],
        ['Escreve uma classe para usuários', 'write', 'escreve'],
        ['Descreva o que isso faz', 'explain', 'descreva'],
        ['写一个类来表示用户', 'write', '写一个'],
        ['ユーザーのクラスを作って', 'write', '作って'],
      ] as const) {
        assert.equal(groups(prompt)[id], word, prompt);
      }
      const code = '\n```js\nexport const last = (items) => items[items.length];\n```';
      assert.equal(groups(`Überprüf das bitte${code}`).review, 'überprüf');
      assert.equal(groups(`Relisez ce code${code}`).review, 'relisez');
      assert.equal(groups(`Revísalo antes del merge${code}`).review, 'revísalo');
    });

    it('finds the hard-question groups in French, German, Spanish, Portuguese, Chinese and Japanese', () => {
      const cases: Array<[string, Record<string, string>]> = [
        ['Pourquoi ce code provoque-t-il un interblocage ? Il y a aussi une faille de sécurité.', { reasoning: 'pourquoi', concurrency: 'interblocage', security: 'faille' }],
        ['Warum verklemmen sich meine Threads? Die Architektur ist verteilt.', { reasoning: 'warum', concurrency: 'verklemmen', design: 'architektur' }],
        // A capital with an umlaut is read as its small letter, as A–Z are.
        ['Überprüfe die Schwachstellen und Ängste: Sicherheitslücke in der Authentifizierung', { security: 'schwachstellen' }],
        ['Este código tiene un interbloqueo y el rendimiento es malo. Demuestra que termina.', { concurrency: 'interbloqueo', perf: 'rendimiento', proof: 'demuestra' }],
        ['Por que este código entra em impasse? Há uma vulnerabilidade de injeção.', { concurrency: 'impasse', security: 'vulnerabilidade' }],
        ['为什么两个线程会死锁？架构怎么设计？请证明它会终止。', { reasoning: '为什么', concurrency: '线程', design: '架构', proof: '证明' }],
        ['なぜデッドロックするのですか？セキュリティの脆弱性とパフォーマンスも見てください。', { reasoning: 'なぜ', concurrency: 'デッドロック', security: 'セキュリティ', perf: 'パフォーマンス' }],
      ];
      for (const [prompt, groups] of cases) {
        const { stats } = extractFeatures(chat(prompt));
        for (const [group, word] of Object.entries(groups)) assert.equal(stats.groupWords[group], word, `${group} in ${prompt}`);
      }
    });

    it('reads Spanish and Portuguese "por qué", "por que" and a sentence-opening or questioning "porque" as asking why', () => {
      for (const [prompt, word] of [
        ['¿Por qué se bloquea mi servidor con muchas conexiones?', 'por qué'],
        ['por que mi consulta tarda 30 segundos?', 'por que'],
        ['Não sei por quê o build falha', 'por quê'],
        ['porque mi servicio devuelve resultados distintos en paralelo?', 'porque'],
        ['Hola. Porqué falla esto', 'porqué'],
        ['porquê o consumo de memória cresce sem parar', 'porquê'],
      ]) {
        assert.equal(extractFeatures(chat(prompt!)).stats.groupWords.reasoning, word, prompt);
      }
      // "porque" inside a statement is "because"; "que" alone is "that".
      for (const prompt of ['No funciona porque falta la clave', 'Creo que el código es correcto', 'Por favor, que sea rápido']) {
        assert.equal(extractFeatures(chat(prompt)).stats.groupWords.reasoning, undefined, prompt);
      }
    });

    it('reads "port" as a conversion, a migration of a whole, or a network port by what surrounds it', () => {
      const cases: Array<[string, Record<string, string | undefined>]> = [
        ['Port this function to Python', { convert: 'port', plan: undefined }],
        ['How do I port this class to Kotlin?', { convert: 'port', plan: undefined }],
        ['Port our billing module from Python 2.7 to Python 3.12', { plan: 'port', convert: undefined }],
        ['We need to port the whole notification service from Express to Go', { plan: 'port', convert: undefined }],
        ['we are porting our Django app to FastAPI', { plan: 'porting' }],
        ['What port does Redis listen on by default?', { convert: undefined, plan: undefined }],
        ['How do I find which process is using port 5432?', { convert: undefined, plan: undefined }],
        ['the service port is already in use', { convert: undefined, plan: undefined }],
        ['Quel port utilise Redis ?', { convert: undefined, plan: undefined }],
      ];
      for (const [prompt, groups] of cases) {
        const { stats } = extractFeatures(chat(prompt));
        for (const [group, word] of Object.entries(groups)) assert.equal(stats.groupWords[group], word, `${group} in ${prompt}`);
      }
    });

    it('reads a katakana term only where a katakana word starts: ロック (lock) is not inside ブロック (block)', () => {
      assert.equal(extractFeatures(chat('このブロックを説明してください')).stats.groupWords.concurrency, undefined);
      assert.equal(extractFeatures(chat('ロックを取る順序は？')).stats.groupWords.concurrency, 'ロック');
      assert.equal(extractFeatures(chat('マルチスレッドで落ちる')).stats.groupWords.concurrency, 'マルチスレッド');
    });

    it('reads a conversation in another language as being about something hard', () => {
      for (const content of ['Warum verklemmt sich dieser Code?', '为什么会死锁？', 'この設計のトレードオフは？']) {
        const { stats } = extractFeatures(chat('ok, und jetzt?', [{ role: 'user', content }, { role: 'assistant', content: '…' }]));
        assert.equal(stats.historyHardTopic, true, content);
      }
    });

    it('does not take a word of another language for an English code term: French "comment" is "how"', () => {
      const french = extractFeatures(chat('Comment renommer une variable dans tout le projet ?'));
      assert.equal(french.stats.groupWords.mechanical, 'renommer');
      // No accent and no marker but "par" (2026-12-03 tryout e-25): "comment" read as the English code term, then
      // reasoned "mechanical edit ("comment")"; "trier" is the sort asked for.
      assert.equal(extractFeatures(chat('Comment trier un dictionnaire par valeur en Python ?')).stats.groupWords.mechanical, 'trier');
      const frenchOnly = extractFeatures(chat('Comment éviter un interblocage dans ce code ?'));
      assert.equal(frenchOnly.stats.groupWords.mechanical, undefined);
      assert.equal(frenchOnly.stats.groupWords.concurrency, 'interblocage');
      // Its hashed feature is not the English word's either.
      const english = extractFeatures(chat('Comment out the debug lines in this function'));
      assert.equal(english.stats.groupWords.mechanical, 'comment');
      const bucketOf = (features: ReturnType<typeof extractFeatures>, prompt: string, word: string) => {
        const k = [...features.tokenStart].findIndex((start, i) => start === prompt.indexOf(word) && features.tokenEnd[i] === start + word.length && features.namespaces[i] === NAMESPACES.indexOf('word'));
        return features.indices[k];
      };
      assert.notEqual(bucketOf(frenchOnly, 'Comment éviter un interblocage dans ce code ?', 'Comment'), bucketOf(english, 'Comment out the debug lines in this function', 'Comment'));
      // The question's language, not the attached code's (full of English words), decides.
      const attached = promptWithAttachments('Comment éviter un interblocage dans cette fonction ?', [{ label: 'src/pool.ts', languageId: 'typescript', text: generateTypeScript(4, 60) }]);
      assert.equal(extractFeatures(chat(attached)).stats.groupWords.mechanical, undefined);
      // German "Stand" ("state") is no lookup word in German; English "stand" still is.
      assert.equal(extractFeatures(chat('Wie ist der Stand der Migration von der alten Datenbank?')).stats.groupWords.lookup, undefined);
      assert.equal(extractFeatures(chat('What does TCP stand for?')).stats.groupWords.lookup, 'stand');
    });

    it('keeps "test", "plan" and German "die" as they read in English: the same meaning, or no group', () => {
      assert.equal(extractFeatures(chat('Schreibe einen Test für die Funktion')).stats.groupWords.test, 'test');
      assert.equal(extractFeatures(chat('Fais un plan pour la migration')).stats.groupWords.plan, 'plan');
      const german = extractFeatures(chat('Warum stürzt die App ab, wenn die Liste leer ist?'));
      assert.deepEqual(Object.keys(german.stats.groupWords).sort(), ['debug', 'reasoning']);
    });

    it('adds each word of another language to one group only, in lower case', () => {
      const groupOf = new Map<string, string[]>();
      for (const group of WORD_GROUPS) for (const word of group.words) groupOf.set(word, [...new Set([...(groupOf.get(word) ?? []), group.id])]);
      for (const [id, words] of Object.entries(WORDS_IN_OTHER_LANGUAGES)) {
        assert.ok(WORD_GROUPS.some((group) => group.id === id), id);
        for (const word of words) {
          assert.equal(word, word.toLowerCase(), word);
          assert.deepEqual(groupOf.get(word), [id], `"${word}" is in ${groupOf.get(word)?.join(' and ')}`);
        }
      }
    });
  });

  describe('pasted stack traces', () => {
    // Each as the runtime prints it, with the question a person would type; `words` is the question's.
    const traces: Array<{ name: string; prompt: string; words: number; frames: number }> = [
      {
        name: 'Java (frames indented with a tab)',
        prompt: 'fix this\nException in thread "main" java.lang.IllegalStateException: closed\n\tat com.acme.Pool.take(Pool.java:12)\n\tat com.acme.Main.main(Main.java:5)\nCaused by: java.io.IOException: broken pipe\n\tat com.acme.Io.write(Io.java:40)\n\t... 3 more',
        words: 2,
        frames: 6,
      },
      {
        name: 'Go',
        prompt: 'What does this panic mean?\npanic: runtime error: invalid memory address or nil pointer dereference\n\ngoroutine 42 [running]:\nmain.(*Server).handle(0x0, {0x7f1c20, 0xc0001a4000})\n\t/home/dev/srv/server.go:87 +0x1c\nnet/http.HandlerFunc.ServeHTTP(0xc000012345)\n\t/usr/local/go/src/net/http/server.go:2166 +0x29\ncreated by net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3285 +0x4b4',
        // "panic: runtime error: …" is the message, read as what went wrong.
        words: 5 + 10,
        frames: 7,
      },
      {
        name: 'Rust backtrace',
        prompt: 'why?\nstack backtrace:\n   0: rust_begin_unwind\n             at /rustc/1f2e/library/std/src/panicking.rs:652:5\n   1: kvstore::store::Store::compact\n             at ./src/store.rs:214:38',
        words: 1 + 2,
        frames: 4,
      },
      {
        name: '.NET',
        prompt: 'Why does this throw?\nUnhandled exception. System.InvalidOperationException: Collection was modified.\n   at System.Collections.Generic.List`1.Enumerator.MoveNext()\n   at lambda_method(Closure , Object , Object[] )\n   at Billing.Program.Main(String[] args) in C:\\src\\Billing\\Program.cs:line 14\n--- End of stack trace from previous location ---',
        words: 4,
        frames: 5,
      },
      {
        name: 'Python (with the source line under each frame and the exception last)',
        prompt: 'what is wrong?\nTraceback (most recent call last):\n  File "/app/worker.py", line 88, in run\n    result = pool.map(process, chunks)\n  File "/usr/lib/python3.12/multiprocessing/pool.py", line 367, in map\n    raise self._value\n_pickle.PicklingError: Can\'t pickle <function <lambda> at 0x7f2>',
        words: 3,
        // The header, two frames, the source line Python prints under each and the exception.
        frames: 6,
      },
    ];
    for (const trace of traces) {
      it(`reads a ${trace.name} stack trace as a trace, not as words the user wrote`, () => {
        const { stats } = extractFeatures(chat(trace.prompt));
        assert.equal(stats.proseWords, trace.words);
        assert.equal(stats.traceLines, trace.frames);
      });
    }

    it('reads rustc\'s diagnostic (its header, arrow and gutter) as machine output, and does not take a trace\'s "goroutine" or "Thread" for concurrent code', () => {
      const rustc = 'error[E0502]: cannot borrow `v` as mutable\n --> src/main.rs:4:5\n  |\n3 |     let first = &v[0];\n  |                  - immutable borrow occurs here\n4 |     v.push(6);\n  |     ^^^^^^^^^ mutable borrow occurs here\nhow do I fix this?';
      const { stats } = extractFeatures(chat(rustc));
      // Every line the compiler printed, header included: the compiler's words are not the user's.
      assert.equal(stats.codeLines, 7);
      assert.equal(stats.traceLines, 7);
      assert.equal(stats.proseWords, 5);
      // A markdown table's rows start with `|` too: a table, not a gutter; so does a person's "error[" in a sentence.
      const table = extractFeatures(chat('| id | name |\n| 1 | Ada |\n| 2 | Ben |\nsort this table by name')).stats;
      assert.equal(table.traceLines, 0);
      assert.equal(extractFeatures(chat('error[E0502]: what does this mean?')).stats.traceLines, 1);
      assert.equal(extractFeatures(chat('error[the index] is what I get, why?')).stats.traceLines, 0);
      const java = 'fix this\nException in thread "pool-1-thread-2" java.lang.NullPointerException\n\tat com.acme.A.run(A.java:3)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)';
      assert.equal(extractFeatures(chat(java)).stats.concurrentCodeTokens, 0);
      const go = 'goroutine 1 [chan receive]:\nmain.main()\n\t/home/dev/pipe/main.go:31 +0x1a8';
      assert.equal(extractFeatures(chat(go)).stats.concurrentCodeTokens, 0);
      // Code that uses threads still counts.
      assert.ok(extractFeatures(chat('```java\nnew Thread(() -> lock.lock()).start();\n```')).stats.concurrentCodeTokens > 0);
    });

    it('leaves indented prose with "at" as prose', () => {
      const { stats } = extractFeatures(chat('Notes:\n  at the start (before login) it works\n  at the end it fails'));
      assert.equal(stats.traceLines, 0);
    });
  });

  describe('pasted logs', () => {
    const log = (count: number) =>
      Array.from({ length: count }, (_, i) => `2026-12-01T10:${String(i % 60).padStart(2, '0')}:05.123Z ${i % 7 ? 'INFO' : 'WARN'} [worker-${i % 4}] request id=${1000 + i} status=200 duration_ms=${i % 90}`).join('\n');

    it('reads timestamped, levelled, key=value and prefixed log lines as a log, not as prose', () => {
      const shapes = [
        log(20),
        Array.from({ length: 20 }, (_, i) => `[10:00:${String(i).padStart(2, '0')}] ERROR db timeout after ${i} ms`).join('\n'),
        Array.from({ length: 20 }, (_, i) => `level=info ts=2026-12-01T10:00:00Z msg="served" path=/api/${i} status=200`).join('\n'),
        Array.from({ length: 20 }, (_, i) => `Dec  1 10:00:${String(i).padStart(2, '0')} host sshd[${100 + i}]: Failed password for root from 10.0.0.${i}`).join('\n'),
        Array.from({ length: 20 }, (_, i) => `WARN: retrying request ${i} of 20`).join('\n'),
        // A repeated source prefix (docker compose): the first line of the run is known by the line after it.
        Array.from({ length: 20 }, (_, i) => `web_1  | GET /api/orders/${i} 200 12ms`).join('\n'),
      ];
      for (const shape of shapes) {
        const { stats } = extractFeatures(chat(`Why do these requests fail?\n${shape}`));
        assert.equal(stats.logLines, 20, shape.split('\n')[0]);
        assert.equal(stats.codeLines, stats.logLines, shape.split('\n')[0]);
        assert.equal(stats.proseWords, 5, shape.split('\n')[0]);
      }
    });

    it('counts a pasted log, stack trace or table as a few lines of code in the code\'s size, however long it is', () => {
      const size = (prompt: string) => {
        const { dense } = extractFeatures(chat(prompt));
        return ['codeChars', 'noCode', 'codeUpTo20Lines', 'codeUpTo200Lines', 'codeOver200Lines'].map((name) => dense[DENSE_FEATURES.indexOf(name as DenseFeature)]!);
      };
      const line = (i: number) => `2026/12/03 08:${String(i % 60).padStart(2, '0')}:00 [error] 1234#0: *${900 + i} upstream timed out (110: Connection timed out) while reading response header from upstream`;
      const lines = (count: number) => Array.from({ length: count }, (_, i) => line(i)).join('\n');
      // 30 lines of log weigh as 5: "20 to 200 lines of code" was 30 lines of code to understand.
      const [chars30, noCode30, upTo20, upTo200] = size(`nginx keeps logging this, what does it mean?\n\n${lines(30)}`);
      const [chars5] = size(`nginx keeps logging this, what does it mean?\n\n${lines(5)}`);
      assert.deepEqual([noCode30, upTo20, upTo200], [0, 1, 0]);
      assert.ok(Math.abs(chars30! - chars5!) < 0.05, `${chars30} against ${chars5}`);
      // The user's own code counts in full beside it, and code of 30 lines is still code of 30 lines.
      const code = (count: number) => '```python\n' + Array.from({ length: count }, (_, i) => `x${i} = compute(${i})`).join('\n') + '\n```';
      assert.deepEqual(size(`why is this slow?\n${code(10)}\n${lines(300)}`).slice(1), [0, 1, 0, 0]);
      assert.deepEqual(size(`why is this slow?\n${code(30)}`).slice(1), [0, 0, 1, 0]);
    });

    it('reads a prefixed log pasted with no question as a log from its first line, and its URLs as no files', () => {
      const prefixed = Array.from({ length: 30 }, (_, i) => `api_1  | ${i % 5 ? 'GET' : 'POST'} /v1/items/${i} ${i % 9 ? 200 : 500} ${10 + i}ms`).join('\n');
      const { stats } = extractFeatures(chat(prefixed));
      assert.equal(stats.logLines, 30);
      assert.equal(stats.proseWords, 0, 'the first line is the log\'s, not a question');
      assert.equal(stats.files, 0, 'GET /v1/items/7 is a URL served, not a file of the project');
      // Two lines that merely start alike are not a log: "web_1" and "web_10" are different sources.
      assert.equal(extractFeatures(chat('web_1 is down\nweb_10 is up')).stats.logLines, 0);
    });

    it('counts the lines of a 1,000- to 100,000-line log within 2 %, with or without a question', () => {
      const shapes: Array<(i: number) => string> = [
        (i) => `2026-12-01T10:${String(i % 60).padStart(2, '0')}:05.123Z INFO [worker-${i % 4}] request id=${1000 + i} status=200`,
        (i) => `web_1  | GET /api/orders/${i} 200 ${i % 50}ms`,
        // A long line every tenth: the lines read before the skipped middle are not a fair sample.
        (i) => (i % 10 === 0 ? `2026-12-01T10:00:00Z ERROR batch ${i} failed: ${'x'.repeat(120)}` : `2026-12-01T10:00:00Z INFO ok ${i}`),
      ];
      for (const shape of shapes) {
        for (const count of [1_000, 10_000, 100_000]) {
          const log = Array.from({ length: count }, (_, i) => shape(i)).join('\n');
          for (const question of ['', 'Why do these requests fail?\n']) {
            const { stats } = extractFeatures(chat(question + log));
            const label = `${count} lines of ${shape(1).slice(0, 30)}${question ? ' with a question' : ''}`;
            assert.ok(Math.abs(stats.logLines - count) <= count * 0.02, `${label}: ${stats.logLines}`);
            assert.equal(stats.codeLines, stats.logLines, label);
            assert.equal(stats.proseWords, question ? 5 : 0, label);
          }
        }
      }
    });

    it('counts a long log skipped in the middle as log lines, not prose', () => {
      const { stats } = extractFeatures(chat(`Why does the service slow down?\n${log(876)}`));
      assert.equal(stats.proseWords, 6);
      assert.equal(stats.logLines, stats.codeLines);
      assert.ok(Math.abs(stats.logLines - 876) < 20, `${stats.logLines} log lines`);
    });

    it('leaves a person\'s sentences as prose: "ERROR: … what do I do?", a time in a sentence, a bullet list', () => {
      for (const prompt of [
        'ERROR: I keep getting this when I run npm install, what do I do?',
        'The job runs at 10:00:00 every day and fails since Monday.',
        'Steps so far:\n- item one done\n- item two done\n- item three done',
        'Use key=value pairs in the config file.',
      ]) {
        const { stats } = extractFeatures(chat(prompt));
        assert.equal(stats.logLines, 0, prompt);
        assert.equal(stats.codeLines, 0, prompt);
      }
    });
  });
});
