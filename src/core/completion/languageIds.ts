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
