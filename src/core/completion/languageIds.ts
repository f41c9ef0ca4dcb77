import path from 'node:path';

/**
 * VS Code language ids by file extension, for the CLI (the editor knows the
 * id already). Covers what people complete most; anything else is plaintext.
 */
const BY_EXTENSION: Record<string, string> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
  '.py': 'python', '.rb': 'ruby', '.go': 'go', '.rs': 'rust', '.java': 'java', '.kt': 'kotlin',
  '.c': 'c', '.h': 'c', '.cc': 'cpp', '.cpp': 'cpp', '.hpp': 'cpp', '.cs': 'csharp', '.swift': 'swift',
  '.php': 'php', '.scala': 'scala', '.lua': 'lua', '.sh': 'shellscript', '.bash': 'shellscript',
  '.sql': 'sql', '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.toml': 'toml', '.md': 'markdown',
  '.html': 'html', '.css': 'css', '.scss': 'scss', '.vue': 'vue', '.svelte': 'svelte', '.r': 'r',
  '.ex': 'elixir', '.exs': 'elixir', '.erl': 'erlang', '.hs': 'haskell', '.dart': 'dart', '.zig': 'zig',
  '.kts': 'kotlin', '.pl': 'perl', '.pm': 'perl', '.ps1': 'powershell', '.zsh': 'shellscript', '.jsonc': 'jsonc',
  '.xml': 'xml', '.groovy': 'groovy', '.gradle': 'groovy', '.fs': 'fsharp', '.fsx': 'fsharp', '.ml': 'ocaml',
  '.jl': 'julia', '.clj': 'clojure', '.tex': 'latex', '.ini': 'ini', '.bat': 'bat', '.less': 'less', '.sass': 'sass',
  '.cxx': 'cpp', '.hh': 'cpp', '.mdx': 'mdx', '.txt': 'plaintext',
};

export function languageIdForPath(file: string): string {
  const base = path.basename(file).toLowerCase();
  if (base === 'dockerfile') return 'dockerfile';
  if (base === 'makefile') return 'makefile';
  return BY_EXTENSION[path.extname(base)] ?? 'plaintext';
}

/** Names a fence's info string gives a language by that are neither its VS Code id nor a file extension. */
const FENCE_ALIASES: Record<string, string> = {
  shell: 'shellscript', sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', ksh: 'shellscript',
  python3: 'python', py3: 'python', node: 'javascript', golang: 'go', 'c++': 'cpp', 'c#': 'csharp', cs: 'csharp',
  objc: 'objective-c', docker: 'dockerfile', make: 'makefile', yml: 'yaml', rs: 'rust', kt: 'kotlin', rb: 'ruby',
  ps: 'powershell', pwsh: 'powershell', tex: 'latex', text: 'plaintext',
};

/** Every language id the table above gives a file, and the ids VS Code gives files read by name (Dockerfile, Makefile). */
const KNOWN_IDS = new Set([...Object.values(BY_EXTENSION), 'dockerfile', 'makefile', 'shellscript']);

/**
 * The VS Code language id a Markdown fence's info string names (```python, ```ts, ```{r}, ```rust title="x"), by
 * its first word: an id, an alias or a file extension. Undefined for none, or a word none of those knows.
 */
export function languageIdForFence(info: string): string | undefined {
  const word = /^\{?\.?([^\s{},]+)/.exec(info.trim())?.[1]?.toLowerCase();
  if (!word) return undefined;
  if (Object.hasOwn(FENCE_ALIASES, word)) return FENCE_ALIASES[word];
  if (KNOWN_IDS.has(word)) return word;
  return Object.hasOwn(BY_EXTENSION, `.${word}`) ? BY_EXTENSION[`.${word}`] : undefined;
}
