/**
 * Word groups that say what a request asks for. They are hand-made features,
 * not rules: the training script learns how much each group weighs, and the
 * hashed word features learn the rest. Groups are matched on lower-case
 * whole words of the request's prose (not its attached code), so a file that
 * happens to contain the word "design" does not make a question hard.
 */
import { CODE_NOUNS_IN_OTHER_LANGUAGES, PORT_VERBS_IN_OTHER_LANGUAGES, WORDS_IN_OTHER_LANGUAGES, WRITE_NOUNS_IN_OTHER_LANGUAGES } from './lexiconLanguages';

export interface WordGroup {
  /** Dense feature name, also in the model file. */
  id: string;
  /** How a reason reads, e.g. `design question ("architecture")`. */
  label: string;
  words: readonly string[];
  /**
   * Terms that join the group only where a rule in ruledTerms.ts says so, not
   * wherever they occur ("port" is a conversion in "port this function to
   * Go", a migration in "port our billing module", neither in "port 5432");
   * listed here so a reason may quote them.
   */
  ruled?: readonly string[];
}

const ENGLISH_GROUPS: readonly WordGroup[] = [
  {
    id: 'lookup',
    label: 'lookup question',
    words: [
      'syntax', 'command', 'shortcut', 'flag', 'default', 'version', 'docs', 'documentation', 'keyword', 'operator',
      'define', 'definition', 'meaning', 'means', 'stand', 'stands', 'acronym', 'equivalent', 'builtin', 'built-in',
    ],
  },
  {
    id: 'mechanical',
    label: 'mechanical edit',
    words: [
      'rename', 'renaming', 'format', 'reformat', 'indent', 'typo', 'typos', 'sort', 'alphabetize', 'uppercase',
      'lowercase', 'camelcase', 'snake_case', 'comment', 'comments', 'docstring', 'docstrings', 'jsdoc', 'annotate',
      'annotations', 'lint', 'prettier', 'spacing', 'trailing', 'replace', 'swap',
    ],
    // Markdown as the layout asked for ("put that list in a markdown table"), not as a thing the code handles ("it
    // renders answers as markdown", "a markdown parser"): MARKDOWN_AS_A_FORM.
    ruled: ['markdown'],
  },
  {
    id: 'convert',
    label: 'conversion',
    words: ['convert', 'conversion', 'translate', 'rewrite', 'transform', 'yaml', 'json', 'csv', 'toml', 'xml'],
    ruled: ['port', 'porting', ...PORT_VERBS_IN_OTHER_LANGUAGES],
  },
  {
    id: 'explain',
    label: 'explanation',
    words: ['explain', 'explanation', 'understand', 'summarize', 'summarise', 'summary', 'describe', 'overview', 'walk', 'eli5', 'tldr'],
  },
  {
    id: 'write',
    label: 'small code-writing task',
    words: ['boilerplate', 'oneliner', 'one-liner'],
    // Asked for only where a request puts them (REQUEST_VERB_AFTER): "services write rows" is not "write me a function";
    // the nouns (WRITE_NOUNS) only where no word points at one that exists (EXISTING_BEFORE): "This query takes 40
    // seconds" is not "a query that counts orders".
    ruled: ['write', 'generate', 'create', 'implement', 'function', 'snippet', 'example', 'template', 'regex', 'query', 'script', ...WRITE_NOUNS_IN_OTHER_LANGUAGES],
  },
  {
    id: 'test',
    label: 'tests',
    words: ['test', 'tests', 'unit', 'mock', 'mocks', 'fixture', 'fixtures', 'coverage', 'assert', 'jest', 'pytest', 'mocha'],
  },
  {
    // "Can you review this before I merge it?" over seven lines with two non-obvious bugs read as a short question
    // over a short snippet: by the rubric a review that must find what is wrong is level 2 however short. Only where
    // the request is about code (CODE_NOUNS): "It established judicial review" asks for no review.
    id: 'review',
    label: 'code review',
    words: ['review', 'reviewing', 'reviewed', 'code-review'],
  },
  {
    id: 'debug',
    label: 'debugging',
    words: [
      'bug', 'bugs', 'debug', 'debugging', 'crash', 'crashes', 'crashing', 'fails', 'failing', 'failure', 'broken', 'wrong',
      'hangs', 'hang', 'stuck', 'freezes', 'flaky', 'intermittent', 'intermittently', 'sometimes', 'randomly', 'occasionally',
      'leak', 'leaks', 'corrupt', 'corrupted', 'incorrect', 'unexpected', 'regression', 'segfault', 'heisenbug',
    ],
  },
  {
    id: 'concurrency',
    label: 'concurrency',
    words: [
      'deadlock', 'deadlocks', 'race', 'races', 'concurrent', 'concurrency', 'concurrently', 'parallel', 'thread', 'threads',
      'threading', 'mutex', 'lock', 'locks', 'locking', 'atomic', 'atomics', 'goroutine', 'goroutines', 'channel', 'channels',
      'semaphore', 'livelock', 'starvation', 'reentrant', 'synchronization', 'memory-order', 'linearizable',
    ],
  },
  {
    id: 'design',
    label: 'design question',
    words: [
      'design', 'designing', 'redesign', 'architecture', 'architect', 'architectural', 'scalable', 'scale', 'scaling',
      'tradeoff', 'tradeoffs', 'trade-off', 'trade-offs', 'approach', 'approaches', 'abstraction', 'abstractions',
      'extensible', 'maintainable', 'decouple', 'coupling', 'microservice', 'microservices', 'monolith', 'schema',
      'consistency', 'consistent', 'inconsistent', 'inconsistency', 'distributed', 'sharding', 'replication', 'eventual', 'idempotent', 'idempotency',
    ],
  },
  {
    id: 'plan',
    label: 'planning',
    words: ['plan', 'planning', 'roadmap', 'migrate', 'migration', 'migrating', 'rollout', 'strategy', 'phases', 'phased', 'milestones', 'incremental', 'incrementally', 'backwards-compatible', 'deprecate'],
    ruled: ['port', 'porting', ...PORT_VERBS_IN_OTHER_LANGUAGES],
  },
  {
    id: 'proof',
    label: 'proof or formal reasoning',
    words: [
      'prove', 'proof', 'proofs', 'invariant', 'invariants', 'terminate', 'terminates', 'termination', 'correctness',
      'formally', 'formal', 'induction', 'lemma', 'theorem', 'derive', 'derivation', 'complexity', 'amortized', 'np-hard',
      'lower-bound', 'soundness', 'decidable', 'undecidable', 'contradiction', 'iff',
    ],
  },
  {
    id: 'refactor',
    label: 'refactoring',
    words: ['refactor', 'refactoring', 'restructure', 'reorganize', 'reorganise', 'modularize', 'split', 'extract', 'untangle', 'consolidate', 'dedupe', 'deduplicate'],
  },
  {
    id: 'scope',
    label: 'spans several files',
    words: ['across', 'codebase', 'monorepo', 'project-wide', 'everywhere', 'modules', 'packages', 'services', 'layers', 'end-to-end', 'whole', 'entire'],
    // The repository as the place of the work ("in the repo", "across the repository"), not one named in passing
    // ("pick one convention for the repository", "clone a repo"): REPOSITORY_AS_A_PLACE.
    ruled: ['repo', 'repository'],
  },
  {
    id: 'security',
    label: 'security',
    words: [
      'security', 'secure', 'safe', 'unsafe', 'safety', 'vulnerability', 'vulnerabilities', 'vulnerable', 'exploit', 'injection', 'xss', 'csrf',
      'ssrf', 'sanitize', 'sanitise', 'escaping', 'authentication', 'authorization', 'oauth', 'jwt', 'crypto',
      'cryptographic', 'encryption', 'timing', 'attacker', 'threat', 'privilege', 'secrets',
    ],
  },
  {
    id: 'perf',
    label: 'performance',
    words: ['performance', 'optimize', 'optimise', 'optimization', 'fast', 'faster', 'slow', 'slower', 'latency', 'throughput', 'bottleneck', 'profile', 'profiling', 'cache', 'caching', 'memory', 'allocation', 'allocations', 'big-o', 'quadratic'],
  },
  {
    id: 'reasoning',
    label: 'asks why',
    words: ['why', 'reason', 'cause', 'causes', 'root', 'subtle', 'tricky', 'edge', 'corner', 'correctly', 'safely'],
    ruled: ['por qué', 'por que', 'por quê', 'porque', 'porqué', 'porquê'],
  },
  {
    id: 'compare',
    label: 'comparison',
    words: ['difference', 'differences', 'vs', 'versus', 'compare', 'comparison', 'better', 'prefer', 'pros', 'cons', 'alternatives'],
  },
  {
    id: 'arithmetic',
    label: 'arithmetic word problem',
    words: [
      'total', 'each', 'percent', 'percentage', 'average', 'remaining', 'left', 'altogether', 'twice', 'half', 'times',
      'cost', 'costs', 'dollars', 'cents', 'price', 'profit', 'discount', 'rate', 'hours', 'minutes', 'days', 'weeks', 'miles',
      'km', 'ratio', 'fraction', 'spent', 'earns', 'earned', 'saves', 'buys', 'bought', 'sold',
    ],
    // A rate ("$4 per pound", "60 miles per hour"), not a grouping ("the top 3 salaries per department"): PER_A_RATE.
    ruled: ['per'],
  },
  {
    id: 'advancedMath',
    label: 'advanced mathematics',
    words: [
      'integral', 'differentiable', 'eigenvalue', 'eigenvalues', 'matrix', 'matrices', 'polynomial', 'polynomials',
      'prime', 'primes', 'modulo', 'divisible', 'divisors', 'gcd', 'lcm', 'probability', 'combinatorics', 'permutations',
      'converges', 'subgroup', 'isomorphic', 'homomorphism', 'determinant', 'logarithm', 'inequality', 'radius',
      'remainder', 'solutions', 'ordered', 'inscribed', 'tangent', 'triangle', 'circle', 'circles', 'sqrt', 'closed-form',
    ],
  },
  {
    // A routine exercise of school algebra and calculus, however it is written: "Solve x^2 - 9 = 0.", "What is the
    // derivative of f(x) = 3x^2 + 2x - 1?". With "derivative" and "roots" read as advanced mathematics and notation
    // seen only in competition problems, such requests went strong.
    id: 'textbookMath',
    label: 'textbook maths exercise',
    words: [
      'solve', 'simplify', 'factor', 'factorise', 'factorize', 'expand', 'evaluate', 'differentiate', 'derivative', 'roots',
      'vertex', 'slope', 'intercept', 'intercepts', 'quadratic', 'equation', 'equations',
    ],
  },
  {
    id: 'constraint',
    label: 'several constraints',
    words: [
      'must', 'without', 'exactly', 'never', 'identical', 'preserve', 'preserving', 'keeping', 'unless', 'within',
      'least', 'most', 'modulo', 'constraint', 'constraints', 'requirement', 'requirements', 'guaranteed', 'worst-case',
      // A guarantee asked for is a requirement on the answer ("how do we guarantee message order?"), not "why".
      'guarantee', 'guarantees', 'ensure',
    ],
    // A limit before a quantity, a place before a folder: "under 100 ms" versus "the files under src" (UNDER_A_PLACE).
    ruled: ['under'],
  },
];

/** Each group with its words in the other languages a request may be written in (lexiconLanguages.ts). */
export const WORD_GROUPS: readonly WordGroup[] = ENGLISH_GROUPS.map((group) => ({
  ...group,
  words: [...group.words, ...(WORDS_IN_OTHER_LANGUAGES[group.id] ?? [])],
}));

/**
 * Lower-case identifiers in attached code that point at threads, locks and
 * shared state (not plain async/await, which most modern code uses):
 * a "what does this do?" about code full of locks is not a lookup.
 */
export const CONCURRENT_CODE_TOKENS: readonly string[] = [
  'mutex', 'lock', 'unlock', 'trylock', 'rwlock', 'thread', 'threads', 'threading', 'spawn', 'goroutine', 'go', 'chan',
  'waitgroup', 'wg', 'synchronized', 'volatile', 'atomic', 'atomicinteger', 'compareandset', 'semaphore', 'condvar',
  'notifyall', 'executor', 'executorservice', 'threadpool', 'arc', 'mpsc', 'tokio', 'asyncio', 'gather', 'gosched',
];

/**
 * Lower-case identifiers in attached code that handle credentials, sessions,
 * crypto, permissions or commands built from strings: a review of such code
 * ("Review src/auth.ts" over a login that hashes with SHA-1) is a security
 * review however few words ask for it.
 */
export const SECURITY_CODE_TOKENS: readonly string[] = [
  'password', 'passwords', 'passwd', 'secret', 'secrets', 'apikey', 'api_key', 'credential', 'credentials', 'auth',
  'authenticate', 'authorize', 'authorization', 'login', 'signin', 'session', 'sessions', 'cookie', 'cookies', 'jwt',
  'bcrypt', 'scrypt', 'argon2', 'pbkdf2', 'sha1', 'md5', 'hmac', 'crypto', 'cipher', 'encrypt', 'decrypt', 'salt',
  'csrf', 'xss', 'sanitize', 'permission', 'permissions', 'privilege', 'privileges', 'sudo', 'chmod', 'setuid', 'eval',
  'exec', 'innerhtml', 'dangerouslysetinnerhtml',
];

/** First words of a code line (outside a fence) that mark it as code when punctuation agrees. */
export const CODE_LINE_KEYWORDS: readonly string[] = [
  'def', 'class', 'function', 'import', 'from', 'return', 'const', 'let', 'var', 'public', 'private', 'protected',
  'static', 'fn', 'func', 'package', 'elif', 'else', 'try', 'except', 'catch', 'finally', 'while', 'for', 'if', 'switch',
  'case', 'struct', 'enum', 'interface', 'type', 'impl', 'use', 'async', 'await', 'export', 'select', 'insert', 'update',
  'create', 'include', 'namespace', 'using', 'void', 'int', 'yield', 'raise', 'throw', 'with', 'lambda', 'match',
];

/**
 * The write group's verbs ask for code only where a request puts them: at
 * the start of a sentence ("Write a regex…", "Task: implement…") or right
 * after one of these words ("can you write", "how do I create", "help me
 * generate", "now implement"). Elsewhere they describe what code or a system
 * does: "several services write the same rows", "our workers create a
 * connection per job", "classes that implement it", "a write to disk".
 * Left out: "and" ("read and write the same rows"), "we" and "should"
 * ("which service should write the row").
 */
export const REQUEST_VERB_AFTER: readonly string[] = [
  'to', 'please', 'pls', 'you', 'i', 'me', 'us', 'can', 'could', 'would', 'will', 'then', 'also', 'just', 'now', 'ok', 'okay',
  'help', 'lets', "let's", 'quickly',
];

/**
 * The write group's nouns: asked for ("a regex that…", "SQL query to count…") unless a word before them points at one
 * that exists; in the other languages WRITE_NOUNS_IN_OTHER_LANGUAGES, read by the same rule.
 */
export const WRITE_NOUNS: readonly string[] = ['function', 'snippet', 'example', 'template', 'regex', 'query', 'script'];

/**
 * Words that put a write-group noun in the code or system the user already
 * has: "This query takes 40 seconds", "what does the regex match", "my
 * script hangs". A request for new code says "a", "an", "one", or nothing.
 */
export const EXISTING_BEFORE: readonly string[] = ['this', 'that', 'these', 'those', 'the', 'my', 'our', 'your', 'their', 'its', 'his', 'her'];

/**
 * "under" is a constraint before a quantity ("under 100 ms", "get it under
 * 200 MB", "in under a second"), and a place before a folder or a path:
 * "list the files under src", "everything under `packages/api`", "under the
 * tests folder". It names a place when a path or inline code, a folder word
 * or a folder a project commonly has follows within three words (a number
 * first ends the look: "files under 10 KB" is a limit), or when a file or
 * folder noun comes right before it ("files under app", not before "a" or a
 * number). "under load", "under the GDPR" and "the code under test" keep
 * their reading.
 */
export const UNDER_A_PLACE = {
  folders: [
    'folder', 'folders', 'directory', 'directories', 'dir', 'dirs', 'subfolder', 'subfolders', 'subdirectory',
    'subdirectories', 'path', 'paths', 'src', 'lib', 'libs', 'dist', 'bin', 'docs', 'apps', 'pkg', 'packages',
    'scripts', 'vendor', 'node_modules', 'cmd', 'internal', 'assets',
  ],
  after: ['file', 'files', 'folder', 'folders', 'directory', 'directories', 'dir', 'dirs', 'subfolders', 'subdirectories', 'everything', 'anything'],
  /** "under a second", "under an hour", "under one minute": a quantity, unless a folder word follows ("under a folder named x"). */
  quantities: ['a', 'an', 'one', 'half'],
} as const;

/**
 * "markdown" asks for a layout, a mechanical edit, where a layout noun follows it ("put the options into a markdown
 * table", "as a markdown list"); elsewhere it is what the code handles ("the extension renders answers as markdown",
 * "write a markdown parser"), where "as markdown" says what the program does, not what is asked.
 */
export const MARKDOWN_AS_A_FORM = {
  layouts: ['table', 'tables', 'list', 'lists', 'bullets', 'checklist', 'format'],
} as const;

/**
 * "per" is arithmetic where it makes a rate: after an amount ("$4 per pound",
 * "3 dollars per", "twice per"), or before a unit of time, measure or count
 * ("60 miles per hour", "per day", "per kg", "per person"). Between two
 * nouns it groups ("the top 3 salaries per department", "one connection per
 * job", "a row per user"): SQL and code, not a word problem.
 */
export const PER_A_RATE = {
  amounts: ['dollars', 'dollar', 'cents', 'euros', 'pounds', 'yuan', 'yen', 'times', 'twice', 'once'],
  units: [
    'hour', 'hours', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'minute', 'minutes', 'second',
    'seconds', 'ms', 'kg', 'kilogram', 'pound', 'lb', 'ounce', 'gram', 'mile', 'miles', 'km', 'kilometer', 'meter', 'liter',
    'litre', 'gallon', 'gallons', 'person', 'people', 'student', 'students', 'child', 'kid', 'item', 'unit', 'piece',
    'dozen', 'box', 'bag', 'pack', 'ticket', 'page', 'cent', 'dollar', 'share', 'acre', 'square', 'cup', 'batch', 'shift',
  ],
} as const;

/**
 * "repo" and "repository" mean work across the project where they are its
 * place: right after one of these words, or after one of them and an article
 * or possessive ("across the repo", "in our repository", "the whole repo",
 * "every file in the repo"). Named in passing they are a thing the question
 * is about: "pick one convention for the repository", "clone a repo", "a
 * repository pattern".
 */
export const REPOSITORY_AS_A_PLACE = {
  before: ['across', 'throughout', 'in', 'over', 'through', 'whole', 'entire', 'everywhere', 'all'],
  determiners: ['the', 'our', 'my', 'this', 'your', 'their', 'that', 'a', 'whole', 'entire'],
} as const;

/**
 * The review group names a code review only in a request about code: code
 * or a stack trace or log attached, `inline code`, a file named, a Plan
 * request, code earlier in the conversation, or one of these nouns ("can you
 * review my PR?", "review the function before I merge"). Without any,
 * "review" is another kind: "It established judicial review", "what is peer
 * review?", "a literature review of…".
 */
export const CODE_NOUNS: readonly string[] = [
  'code', 'codebase', 'pr', 'prs', 'diff', 'diffs', 'patch', 'patches', 'commit', 'commits', 'merge', 'merging', 'pull',
  'branch', 'function', 'functions', 'method', 'methods', 'class', 'classes', 'module', 'modules', 'file', 'files',
  'handler', 'handlers', 'endpoint', 'endpoints', 'implementation', 'component', 'components', 'script', 'scripts',
  'query', 'queries', 'regex', 'sql', 'api', 'config', 'repo', 'repository', 'snippet',
  ...CODE_NOUNS_IN_OTHER_LANGUAGES,
];
