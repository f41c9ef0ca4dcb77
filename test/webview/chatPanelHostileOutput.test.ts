import assert from 'node:assert/strict';
import { FOOTER, type ChatPage } from './chatHarness';
import { useChatPanel } from './chatPanelSuite';

describe('chat panel in the browser', function () {
  this.timeout(30_000);
  let chat: ChatPage;
  const { harness, openReady, text } = useChatPanel(() => chat, (opened) => (chat = opened));

  describe('hostile model output', () => {
    const payload = [
      'Here is <script>window.__pwned = "script"</script> inline.',
      '',
      '<img src="x" onerror="window.__pwned = \'img\'">',
      '',
      '<iframe src="javascript:parent.__pwned = \'iframe\'"></iframe>',
      '',
      '<iframe srcdoc="<script>parent.__pwned = 1</script>"></iframe>',
      '',
      '<svg onload="window.__pwned = \'svg\'"><script>window.__pwned = "svg-script"</script></svg>',
      '',
      '<style>body { display: none }</style>',
      '',
      '<a href="javascript:window.__pwned = \'raw-link\'">raw link</a> <b style="color:red">styled</b>',
      '',
      '[markdown link](javascript:window.__pwned=\'md-link\') and [data link](data:text/html,<script>alert(1)</script>)',
      '',
      '![tracker](/pwned-image.png) ![remote](https://tracker.example/pwned.png) <object data="/pwned-object"></object>',
      '',
      '<form action="/pwned-form"><button>Submit</button></form>',
    ].join('\n');

    it('never runs it, never fetches from it, and shows it as text', async () => {
      await openReady();
      await chat.streamAnswer('r1', payload, { chunkSize: 5 });
      for (const link of await chat.page.locator('.message.assistant a:not([href])').all()) {
        await link.click();
      }
      await chat.settle();

      assert.equal(await chat.page.evaluate(() => (window as { __pwned?: unknown }).__pwned), undefined);
      assert.deepEqual(await chat.violations(), []);
      assert.deepEqual(chat.errors, []);
      assert.deepEqual(harness().requests.filter((path) => path.includes('pwned')), []);
      assert.deepEqual(await chat.postedOfType('openLink'), []);
      assert.equal(chat.page.url().includes('panel.html'), true, 'the page did not navigate');

      const dangerous = await chat.page.evaluate(() => {
        const answer = document.querySelector('.message.assistant .markdown');
        if (!answer) return ['no answer'];
        const found: string[] = [];
        for (const element of Array.from(answer.querySelectorAll('*'))) {
          const tag = element.tagName.toLowerCase();
          if (['script', 'img', 'iframe', 'svg', 'style', 'object', 'form', 'b'].includes(tag)) found.push(tag);
          for (const attribute of Array.from(element.attributes)) {
            if (attribute.name.startsWith('on') || attribute.name === 'style' || attribute.name === 'srcdoc') {
              found.push(`${tag}[${attribute.name}]`);
            }
            if (attribute.name === 'href' && !/^https?:/i.test(attribute.value)) found.push(`href=${attribute.value}`);
          }
        }
        return found;
      });
      assert.deepEqual(dangerous, []);

      const shown = await text('.message.assistant .markdown');
      assert.match(shown, /<script>window\.__pwned = "script"<\/script>/);
      assert.match(shown, /<img src="x" onerror=/);
      assert.match(shown, /<iframe srcdoc=/);
      assert.match(shown, /markdown link/);
      assert.match(shown, /\[image: tracker\]/);
      assert.equal(await chat.page.getByRole('link', { name: '[image: remote]' }).getAttribute('href'), 'https://tracker.example/pwned.png');
    });

    // Trojan Source (CVE-2021-42574): the code reads as a comment but the override makes `return` run.
    const trojan = 'if (accessLevel != "user\u202E \u2066// Check if admin\u2069 \u2066") {\n  grant();\u200B\n}';
    const marksOf = () =>
      chat.page.locator('.message.assistant .hidden-char').evaluateAll((marks) =>
        marks.map((mark) => ({
          shown: getComputedStyle(mark, '::before').content,
          title: mark.getAttribute('title'),
          box: `${getComputedStyle(mark).display} ${getComputedStyle(mark).unicodeBidi}`,
          inCode: mark.closest('pre code') !== null,
        })),
      );
    const expectedMarks = (inCode: boolean) => [
      { shown: '"U+202E"', title: 'Hidden character in the answer: U+202E RIGHT-TO-LEFT OVERRIDE', box: 'inline-block isolate', inCode },
      { shown: '"U+2066"', title: 'Hidden character in the answer: U+2066 LEFT-TO-RIGHT ISOLATE', box: 'inline-block isolate', inCode },
      { shown: '"U+2069"', title: 'Hidden character in the answer: U+2069 POP DIRECTIONAL ISOLATE', box: 'inline-block isolate', inCode },
      { shown: '"U+2066"', title: 'Hidden character in the answer: U+2066 LEFT-TO-RIGHT ISOLATE', box: 'inline-block isolate', inCode },
      { shown: '"U+200B"', title: 'Hidden character in the answer: U+200B ZERO WIDTH SPACE', box: 'inline-block isolate', inCode },
    ];

    it('shows bidi controls and zero-width characters in code as marked code points, and Insert still posts the exact code', async () => {
      await openReady();
      await chat.streamAnswer('r1', `Check:\n\n\`\`\`js\n${trojan}\n\`\`\`\n\nPlus prose with a \u202Ehidden override and an emoji \u{1F469}\u200D\u{1F4BB}.`, { chunkSize: 7 });
      await chat.settle();
      const marks = await marksOf();
      assert.deepEqual(marks.slice(0, 5), expectedMarks(true));
      assert.deepEqual(marks.slice(5), [{ ...expectedMarks(false)[0] }], "the prose's override is marked; the emoji's joiner is not");
      await chat.page.getByRole('button', { name: 'Insert code at cursor' }).click();
      assert.deepEqual(await chat.waitForPosted('insertCode'), { type: 'insertCode', code: trojan }, 'the host is given the code as it is, to judge');
    });

    it('marks a raw ESC sequence in code, which the page would draw as nothing and a terminal would obey once the code is in a file', async () => {
      await openReady();
      // OSC 52: a terminal printing this line puts "rm -rf ~" on the clipboard.
      const code = 'console.log("done"); // \u001b]52;c;cm0gLXJmIH4=\u0007';
      await chat.streamAnswer('r1', `Run:\n\n\`\`\`js\n${code}\n\`\`\`\n`, { chunkSize: 9 });
      await chat.settle();
      const marks = await marksOf();
      assert.deepEqual(
        marks.map(({ title, inCode }) => ({ title, inCode })),
        [
          { title: 'Hidden character in the answer: U+001B ESCAPE', inCode: true },
          { title: 'Hidden character in the answer: U+0007', inCode: true },
        ],
      );
    });

    /** Streams `chunks` of one answer, each drawn in its own frame, and returns the code points marked after each. */
    async function marksWhileStreaming(chunks: string[]): Promise<string[][]> {
      await chat.fromHost({ type: 'start', id: 'r1', requestedModel: 'openai:gpt-5.4', attachments: [], userText: 'question' });
      const seen: string[][] = [];
      for (const [seq, text] of chunks.entries()) {
        await chat.fromHost({ type: 'chunk', id: 'r1', seq, text });
        await chat.settle();
        seen.push((await marksOf()).filter((mark) => mark.inCode).map((mark) => mark.title!.replace(/^Hidden character in the answer: (U\+\w+).*$/, '$1')));
      }
      return seen;
    }

    it("marks a hidden character in a streaming code block's unfinished last line as soon as it is shown", async () => {
      await openReady();
      const seen = await marksWhileStreaming(['Check:\n\n```js\nconst a = 1;\nif (accessLevel != "user\u202E', ' \u2066// Check if admin\u2069 \u2066") {\n  grant();', '\u200B\n}\n']);
      assert.deepEqual(seen, [['U+202E'], ['U+202E', 'U+2066', 'U+2069', 'U+2066'], ['U+202E', 'U+2066', 'U+2069', 'U+2066', 'U+200B']]);
      assert.equal(await chat.page.locator('.message.assistant pre code').textContent(), `const a = 1;\n${trojan}\n`, 'the code reads as it came');
    });

    it('marks them in the lines of a long streaming code block still waiting for their slice', async () => {
      await openReady();
      // Past WHOLE_BLOCK_CHARS finished lines wait as plain text until eight of them make a slice.
      const long = Array.from({ length: 60 }, (_, i) => `const line${i} = ${i};`).join('\n');
      const seen = await marksWhileStreaming([`\`\`\`ts\n${long}\n`, 'const a = "\u202E";\nconst b', ' = "\u200B";\n']);
      assert.deepEqual(seen, [[], ['U+202E'], ['U+202E', 'U+200B']]);
    });

    it('marks them in a long code block of a restored conversation, drawn plain and coloured when idle', async () => {
      const long = Array.from({ length: 300 }, (_, i) => `const line${i} = ${i};`).join('\n');
      const code = `${long}\n${trojan}`;
      await openReady({ idle: 'manual', clipboard: 'missing' });
      await chat.fromHost({
        type: 'history',
        messages: [
          { role: 'user', text: 'Show me', attachments: [] },
          { role: 'assistant', text: `\`\`\`ts\n${code}\n\`\`\`\n`, footer: FOOTER },
        ],
        totalCostUsd: 0,
      });
      await chat.settle();
      const coloured = () => chat.page.locator('.message.assistant code .hljs-keyword').count();
      assert.equal(await coloured(), 0, 'drawn plain first');
      assert.deepEqual(await marksOf(), expectedMarks(true));
      await chat.drainIdle();
      assert.ok((await coloured()) > 0, 'coloured when idle');
      assert.deepEqual(await marksOf(), expectedMarks(true));
      await chat.page.getByRole('button', { name: 'Copy code' }).click();
      assert.deepEqual(await chat.waitForPosted('copy'), { type: 'copy', text: code }, 'Copy takes the exact code');
    });

    it("marks hidden characters in what the panel shows besides the answer: the footer's model, a server's error, a file's chip", async () => {
      await openReady();
      await chat.fromHost({ type: 'start', id: 'r1', requestedModel: 'bedrock:router', attachments: [{ label: 'src/\u202Est.exe:1-3' }], userText: 'question' });
      await chat.fromHost({ type: 'chunk', id: 'r1', seq: 0, text: 'Partly.' });
      await chat.fromHost({ type: 'error', id: 'r1', message: 'Model \u202Egnp.exe\u202C failed', attempts: [{ provider: 'openai', model: 'gpt\u200B-5', error: 'see \u2066docs\u2069' }], partial: true });
      await chat.fromHost({ type: 'done', id: 'r1', footer: { ...FOOTER, model: 'claude\u202E-haiku' }, totalCostUsd: 0 });
      await chat.settle();
      const marked = (selector: string) => chat.page.locator(`${selector} .hidden-char`).evaluateAll((marks) => marks.map((mark) => (mark as HTMLElement).dataset.codePoint));
      assert.deepEqual(await marked('.message.user .chip'), ['U+202E']);
      assert.deepEqual(await marked('.error-message'), ['U+202E', 'U+202C']);
      assert.deepEqual(await marked('.error-attempts'), ['U+200B', 'U+2066', 'U+2069']);
      assert.deepEqual(await marked('.footer-model'), ['U+202E']);
    });

    it('shows a file name\'s hidden characters in the attach toggle and in every tooltip by code point, never raw', async () => {
      await openReady();
      await chat.fromHost({ type: 'attachmentsPreview', selection: null, file: { label: 'src/\u202Egnp.ts', chars: 40 } });
      const file = chat.page.locator('#attach-file');
      assert.deepEqual(await file.locator('.toggle-detail .hidden-char').evaluateAll((marks) => marks.map((mark) => (mark as HTMLElement).dataset.codePoint)), ['U+202E']);
      const toggleTitle = (await file.getAttribute('title')) ?? '';
      assert.ok(toggleTitle.includes('src/<U+202E>gnp.ts'), toggleTitle);
      assert.ok(!toggleTitle.includes('\u202E'), 'no raw override in the tooltip');
      await chat.fromHost({ type: 'start', id: 'r1', requestedModel: 'openai:gpt-5.4', attachments: [{ label: 'src/\u202Egnp.ts' }, { label: 'a\u2066b.env', excluded: 'excluded by switchboard.exclude' }], userText: 'q' });
      await chat.settle();
      const chipTitles = await chat.page.locator('.message.user .chip').evaluateAll((chips) => chips.map((chip) => chip.getAttribute('title')));
      assert.deepEqual(chipTitles, ['src/<U+202E>gnp.ts', 'a<U+2066>b.env: not attached, excluded by switchboard.exclude']);
    });

    it('names where each link goes in its tooltip, as the browser reads the URL, whatever title the answer gave it', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'See [the docs](https://example.com/docs?a=1 "https://trusted.example"), [home](http://2130706433:8080/x) and [idn](https://ex\u0430mple.com/p\u202Eq).');
      await chat.settle();
      const titles = await chat.page.locator('.message.assistant a').evaluateAll((links) => links.map((link) => [link.textContent, link.getAttribute('title')]));
      assert.deepEqual(titles, [
        ['the docs', 'https://example.com/docs?a=1'],
        ['home', 'http://127.0.0.1:8080/x'],
        ['idn', 'https://xn--exmple-4nf.com/p%E2%80%AEq'],
      ]);
    });

    // marked recurses per nesting level: 5,000 `>` overflowed the stack, and the answer threw at every frame.
    it('shows an answer nested thousands of levels deep, past 32 levels as text, with no page error', async () => {
      await openReady();
      await chat.streamAnswer('r1', `${'>'.repeat(5000)} deep quote\n\n${'- > '.repeat(3000)}deep list\n\nafter`, { chunkSize: 4000 });
      assert.deepEqual(chat.errors, []);
      // textContent: sixteen nested lists' indents leave the innermost text no width to lay out in, so innerText skips it.
      const shown = await chat.page.locator('.message.assistant .markdown').evaluate((answer) => answer.textContent ?? '');
      assert.match(shown, /deep quote/);
      assert.match(shown, /deep list/);
      assert.match(shown, /after/);
      const depth = await chat.page.evaluate(() => {
        let deepest = 0;
        for (const element of Array.from(document.querySelectorAll('.message.assistant blockquote, .message.assistant li'))) {
          let levels = 0;
          for (let node: Element | null = element; node; node = node.parentElement) if (node.matches('blockquote, ul, ol')) levels++;
          deepest = Math.max(deepest, levels);
        }
        return deepest;
      });
      assert.ok(depth <= 32, `nested ${depth} deep`);
    });

    // Each `_` started a token that read the rest of the run again: 30 KB of `__a` took 8–10 s a parse (quadratic), and the open
    // block of a streaming answer is parsed again at every frame.
    it('streams 120 KB of emphasis markers without freezing the panel, shown as written', async () => {
      await openReady();
      const started = Date.now();
      await chat.streamAnswer('r1', `Look: ${'__a'.repeat(20_000)} and ${'**b'.repeat(20_000)} done`, { chunkSize: 6000 });
      const took = Date.now() - started;
      assert.ok(took < 8000, `took ${took} ms`);
      assert.deepEqual(chat.errors, []);
      const shown = await text('.message.assistant .markdown');
      assert.ok(shown.includes('__a__a__a') && shown.includes('**b**b**b') && shown.endsWith('done'), shown.slice(-80));
    });

    it('opens only http(s) links, through the host, without navigating the panel', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'See [the docs](https://example.com/docs?a=1&b=2), <https://example.org>, [mail](mailto:a@b.c) and [rel](./local.md).');
      const docs = chat.page.getByRole('link', { name: 'the docs' });
      assert.equal(await docs.getAttribute('rel'), 'noopener noreferrer');
      await docs.click();
      assert.deepEqual(await chat.waitForPosted('openLink'), { type: 'openLink', href: 'https://example.com/docs?a=1&b=2' });

      await chat.page.getByText('mail', { exact: true }).click();
      await chat.page.getByText('rel', { exact: true }).click();
      await chat.settle();
      assert.deepEqual(
        (await chat.postedOfType('openLink')).map((message) => message.href),
        ['https://example.com/docs?a=1&b=2'],
      );
      assert.equal(await chat.page.getByRole('link').count(), 2, 'mailto and relative links are plain text');
      assert.ok(chat.page.url().includes('panel.html'));
    });
  });
});
