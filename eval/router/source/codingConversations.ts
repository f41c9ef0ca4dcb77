import { q, snip, type SourceGroup } from './items';

const SHORT_ANSWER = 'Sure — here it is:\n\n```python\ndef dedupe(items):\n    return list(dict.fromkeys(items))\n```\n\n`dict.fromkeys` keeps the first occurrence of each item, in order.';

const RATE_LIMIT_THREAD = [
  'Design a rate limiter for our API: per-customer limits, 5 servers, Redis available.',
  'A token bucket per customer in Redis fits: store tokens and the last refill time in a hash, refill and take in one Lua script so the check is atomic across servers. Limits come from the customer record, cached for a minute. Return 429 with Retry-After when empty. Sliding-window logs are more exact but cost a sorted-set entry per request.',
];

const MIGRATION_THREAD = [
  'We need to move the users collection from Mongo to Postgres with no downtime. Plan?',
  '1. Create the Postgres schema. 2. Dual-write: every write goes to Mongo (primary) and Postgres. 3. Backfill old documents in batches, idempotently. 4. Verify with a checksum job. 5. Switch reads to Postgres behind a flag. 6. Make Postgres primary, keep Mongo writes for rollback for a week. 7. Remove Mongo.',
];

const EXPLAIN_THREAD = [
  'What does `Array.prototype.reduce` do?',
  'It walks the array and folds it into one value: `[1, 2, 3].reduce((sum, x) => sum + x, 0)` gives 6. The second argument is the starting value; without it the first element is used.',
];

const DEADLOCK_THREAD = [
  'Why does this deadlock sometimes?\n```python\nwith inventory_lock:\n    with ledger_lock: ...\n# elsewhere\nwith ledger_lock:\n    with inventory_lock: ...\n```',
  'The two functions take the same two locks in opposite order. If one thread holds inventory_lock and the other holds ledger_lock, each waits for the other forever. Take locks in one global order everywhere (say inventory, then ledger).',
];

const REGEX_THREAD = [
  'regex for a hex color like #fff or #a1b2c3',
  '`^#(?:[0-9a-fA-F]{3}){1,2}$` matches `#` followed by 3 or 6 hex digits.',
];

const REVIEW_THREAD = [
  'Review this retry function.\n```ts\nexport async function fetchWithRetry(url: string, tries = 5) { /* … */ }\n```',
  'Three problems: 4xx responses are returned as success, all errors are swallowed so the final error says "unreachable", and the backoff has no jitter so clients retry in lockstep. Suggested fix below…',
];

const LONG_THREAD = [
  'I am building a small todo app in React. How should I store the todos?',
  'For a small app, `useState` with an array of `{id, title, done}` in the top component is enough. Pass handlers down; lift state only as far as needed.',
  'ok and how do I persist them between reloads?',
  'Save to localStorage in an effect whenever todos change, and read it once as the initial state: `useState(() => JSON.parse(localStorage.getItem("todos") ?? "[]"))`.',
  'nice. how do I add a filter for done/not done?',
  'Keep a `filter` state ("all" | "done" | "open") and derive the visible list: `todos.filter(t => filter === "all" || (filter === "done") === t.done)`.',
];

const SYNC_THREAD = [
  'We want our todo app to sync between a phone and a laptop, both can be offline for days.',
  'Then you need a merge strategy. Last-write-wins per field is simplest but loses concurrent edits to the same field; a CRDT (e.g. a map of LWW registers plus an OR-set for the list) merges automatically. Start by giving every todo a stable id and a per-field timestamp.',
];

/** Requests that follow earlier turns: the conversation so far changes what is asked. */
export const codingConversations: SourceGroup = {
  family: 'coding',
  prefix: 'conv',
  items: [
    q(0, 'edit', 'thanks! can you add type hints to it?', { history: ['How do I remove duplicates from a list but keep the order?', SHORT_ANSWER] }),
    q(0, 'explain', 'what does fromkeys return exactly?', { history: ['How do I remove duplicates from a list but keep the order?', SHORT_ANSWER] }),
    q(0, 'explain', 'can you make that explanation shorter', { history: RATE_LIMIT_THREAD, why: 'summarise what was said' }),
    q(3, 'design', 'ok but what happens when Redis fails over and the replica is a few seconds behind?', { history: RATE_LIMIT_THREAD, why: 'failure-mode reasoning in a design thread' }),
    q(3, 'design', 'and how would this work if we add a second region?', { history: RATE_LIMIT_THREAD }),
    q(1, 'write', 'Write the Lua script you mentioned.', { history: RATE_LIMIT_THREAD, why: 'concrete code for a described design' }),
    q(3, 'plan', 'what if a write succeeds in Mongo and fails in Postgres during step 2?', { history: MIGRATION_THREAD, why: 'consistency during dual-write' }),
    q(2, 'write', 'write the backfill script for step 3, in TypeScript', { history: MIGRATION_THREAD, why: 'idempotent batching details' }),
    q(0, 'edit', 'put that list in a markdown table with an owner column', { history: MIGRATION_THREAD }),
    q(0, 'explain', 'and what does map do?', { history: EXPLAIN_THREAD }),
    q(0, 'write', 'show me the same with a for loop', { history: EXPLAIN_THREAD }),
    q(1, 'explain', 'when would I use reduceRight?', { history: EXPLAIN_THREAD }),
    q(3, 'concurrency', 'what if I cannot control the order because the locks are taken in a library callback?', { history: DEADLOCK_THREAD, why: 'deadlock avoidance without lock ordering' }),
    q(0, 'explain', 'thanks, that makes sense', { history: DEADLOCK_THREAD, why: 'acknowledgement' }),
    q(2, 'concurrency', 'would a timeout on acquire fix it?', { history: DEADLOCK_THREAD, why: 'trade-offs of lock timeouts' }),
    q(0, 'write', 'and one for rgba()?', { history: REGEX_THREAD }),
    q(0, 'write', 'now in python please', { history: REGEX_THREAD }),
    q(1, 'write', 'Apply your three fixes and give me the final function.', { history: REVIEW_THREAD }),
    q(2, 'test', 'how would I test the backoff timing without making the test slow or flaky?', { history: REVIEW_THREAD }),
    q(0, 'edit', 'rename the filter values to "all", "completed", "active"', { history: LONG_THREAD }),
    q(1, 'write', 'add a "clear completed" button', { history: LONG_THREAD }),
    q(0, 'explain', 'what does the ?? in your localStorage line do', { history: LONG_THREAD }),
    q(2, 'debug', 'the todos come back empty after a reload on Safari private mode, why', { history: LONG_THREAD, why: 'storage quirks, needs diagnosis' }),
    q(3, 'design', 'ok, how do I handle a todo deleted on the phone and edited on the laptop at the same time?', { history: SYNC_THREAD, why: 'delete/edit conflict semantics' }),
    q(3, 'design', 'go with the CRDT. what exactly goes over the wire and how do devices catch up after a week offline?', { history: SYNC_THREAD }),
    q(0, 'explain', 'what does LWW stand for', { history: SYNC_THREAD }),
    q(1, 'explain', 'give me a simple example of an OR-set', { history: SYNC_THREAD }),
    q(0, 'convert', 'same thing in Go please', { history: ['Write a Python function that checks whether a string is a palindrome, ignoring case.', '```python\ndef is_palindrome(s: str) -> bool:\n    t = s.lower()\n    return t == t[::-1]\n```'] }),
    q(1, 'edit', 'it should ignore punctuation and spaces too', { history: ['Write a Python function that checks whether a string is a palindrome, ignoring case.', '```python\ndef is_palindrome(s: str) -> bool:\n    t = s.lower()\n    return t == t[::-1]\n```'] }),
    q(0, 'lookup', 'cool. and how do I undo a git add?', { history: ['how do I rename a local git branch', '`git branch -m old-name new-name`, or `git branch -m new-name` for the current branch.'] }),
    q(2, 'debug', 'I did that but now `git push` says the remote branch does not exist and my PR disappeared', { history: ['how do I rename a local git branch', '`git branch -m old-name new-name`, or `git branch -m new-name` for the current branch.'], why: 'remote tracking and PR state' }),
    q(3, 'concurrency', 'still deadlocks after your fix', { attach: [snip('go_worker_pool')], history: ['why does this hang?', 'Close the `in` channel after sending all jobs so the workers\' range loops end.'], why: 'the first fix was wrong; the real cause is the unbuffered out channel' }),
    q(2, 'debug', 'that did not help, same error', { history: ['I get ECONNRESET when my Node app calls our internal API behind the load balancer, maybe 1 in 200 requests.', 'Try increasing the timeout on the HTTP client to 30 seconds.'], why: 'keep-alive timeout mismatch: needs a better diagnosis than the first answer' }),
    q(0, 'edit', 'make it a bulleted list instead', { history: ['What are the SOLID principles?', 'Single responsibility, open/closed, Liskov substitution, interface segregation and dependency inversion: five guidelines for object-oriented design…'] }),
    q(1, 'explain', 'can you give me an example of the Liskov one in TypeScript?', { history: ['What are the SOLID principles?', 'Single responsibility, open/closed, Liskov substitution, interface segregation and dependency inversion: five guidelines for object-oriented design…'] }),
    q(3, 'review', 'Now review the rest of the file with the same eye.', { attach: [snip('py_flask_login')], history: ['Is there a SQL injection here?', 'Yes: the username is put into the query with an f-string. Use a parameterised query: `db.execute("SELECT … WHERE username = ?", (username,))`.'], why: 'full security review after a narrow question' }),
    q(1, 'write', 'Now add the index you would need for that query.', { history: ['Write a SQL query that counts orders per status.', '```sql\nSELECT status, COUNT(*) FROM orders GROUP BY status;\n```'] }),
    q(0, 'lookup', 'which one is faster?', { history: ['In Python, should I use a list or a tuple for a fixed set of values?', 'A tuple: it is immutable, hashable when its items are, and slightly smaller.'] }),
    q(2, 'design', 'We will have 50 of these services soon. How would you keep their retry policies consistent?', { history: REVIEW_THREAD }),
    q(1, 'convert', 'convert the final version to Python with requests', { history: REVIEW_THREAD }),
  ],
};
