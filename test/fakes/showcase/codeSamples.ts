/**
 * The code block of a simulated chat answer: a short function in the
 * language of the code the user attached, using one of its types when it has
 * fields to show, otherwise a generic example from this small corpus.
 */
import { familyOf, isNumberType, isStringType, singular, typesIn, type LanguageFamily } from './codeFacts';

const GENERIC: Record<string, string> = {
  typescript: [
    'export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {',
    '  const groups = new Map<K, T[]>();',
    '  for (const item of items) {',
    '    const group = groups.get(key(item)) ?? [];',
    '    group.push(item);',
    '    groups.set(key(item), group);',
    '  }',
    '  return groups;',
    '}',
  ].join('\n'),
  python: [
    'from collections import defaultdict',
    '',
    '',
    'def group_by(items, key):',
    '    groups = defaultdict(list)',
    '    for item in items:',
    '        groups[key(item)].append(item)',
    '    return dict(groups)',
  ].join('\n'),
  go: [
    'func GroupBy[T any, K comparable](items []T, key func(T) K) map[K][]T {',
    '\tgroups := make(map[K][]T)',
    '\tfor _, item := range items {',
    '\t\tgroups[key(item)] = append(groups[key(item)], item)',
    '\t}',
    '\treturn groups',
    '}',
  ].join('\n'),
  rust: [
    'use std::collections::HashMap;',
    'use std::hash::Hash;',
    '',
    'pub fn group_by<T, K: Eq + Hash>(items: Vec<T>, key: impl Fn(&T) -> K) -> HashMap<K, Vec<T>> {',
    '    let mut groups: HashMap<K, Vec<T>> = HashMap::new();',
    '    for item in items {',
    '        groups.entry(key(&item)).or_default().push(item);',
    '    }',
    '    groups',
    '}',
  ].join('\n'),
  java: [
    'public static <T, K> Map<K, List<T>> groupBy(List<T> items, Function<T, K> key) {',
    '    return items.stream().collect(Collectors.groupingBy(key));',
    '}',
  ].join('\n'),
};

/** A fenced-block language and code for an answer about code in `languageId` (the sample's TypeScript when none). */
export function sampleCode(languageId: string, code: string): { language: string; code: string } {
  const family = familyOf(languageId);
  const fromTypes = family === 'other' ? undefined : summarizeFirstType(code, family);
  if (fromTypes) return { language: family === 'py' ? 'python' : languageId || 'typescript', code: fromTypes };
  if (family === 'py') return { language: 'python', code: GENERIC.python! };
  const generic = GENERIC[languageId];
  if (generic) return { language: languageId, code: generic };
  return { language: family === 'ts' && languageId ? languageId : 'typescript', code: GENERIC.typescript! };
}

/** A function listing the first declared type that has a text field and a number field. */
function summarizeFirstType(code: string, family: LanguageFamily): string | undefined {
  for (const [type, fields] of typesIn(code, family)) {
    const text = fields.find((f) => isStringType(f.type));
    const number = fields.find((f) => isNumberType(f.type));
    if (!text || !number) continue;
    const plural = `${type.charAt(0).toLowerCase()}${type.slice(1)}s`;
    const one = singular(plural);
    if (family === 'py') {
      return [
        `def summarize(${plural}: list[${type}], limit: int = 10) -> list[str]:`,
        `    ranked = sorted(${plural}, key=lambda ${one}: ${one}.${number.name}, reverse=True)`,
        `    return [f"{${one}.${text.name}}: {${one}.${number.name}}" for ${one} in ranked[:limit]]`,
      ].join('\n');
    }
    return [
      `export function summarize(${plural}: readonly ${type}[], limit = 10): string[] {`,
      `  return [...${plural}]`,
      `    .sort((a, b) => b.${number.name} - a.${number.name})`,
      '    .slice(0, limit)',
      `    .map((${one}) => \`\${${one}.${text.name}}: \${${one}.${number.name}}\`);`,
      '}',
    ].join('\n');
  }
  return undefined;
}
