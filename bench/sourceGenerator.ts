/**
 * Generates plausible TypeScript modules of a given length, from a seed:
 * interfaces, type aliases, documented functions with loops and branches,
 * classes with fields and methods. Only the shape matters (line lengths,
 * identifier density, nesting), so the code need not type-check.
 */
import { seededRandom } from './stats';

const NOUNS = [
  'order', 'customer', 'invoice', 'shipment', 'product', 'warehouse', 'payment', 'refund', 'discount', 'carrier',
  'account', 'ledger', 'basket', 'voucher', 'supplier', 'region', 'parcel', 'route', 'quote', 'tariff',
];
const VERBS = ['load', 'parse', 'validate', 'compute', 'format', 'merge', 'resolve', 'apply', 'collect', 'estimate', 'schedule', 'reconcile'];
const FIELD_TYPES = ['string', 'number', 'boolean', 'Date', 'string[]', 'number | undefined', 'Record<string, number>'];
const FIELDS = ['id', 'name', 'total', 'quantity', 'createdAt', 'status', 'currency', 'weight', 'priority', 'notes', 'tags', 'limit', 'rate', 'code'];

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export function generateTypeScript(seed: number, targetLines: number): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const lines: string[] = [];
  const types: string[] = [];

  lines.push(`import { readFile, writeFile } from 'node:fs/promises';`);
  lines.push(`import path from 'node:path';`);
  lines.push(`import { formatMoney, roundTo } from './money';`);
  lines.push(`import type { Logger } from './logger';`);
  lines.push('');

  const statement = (indent: string, names: string[]): string[] => {
    const a = pick(names);
    const b = pick(names);
    const field = pick(FIELDS);
    switch (between(0, 9)) {
      case 0:
        return [`${indent}const ${field}Total = ${a}.${field} + ${b}.${pick(FIELDS)} * ${between(2, 12)};`];
      case 1:
        return [`${indent}if (${a}.${field} === undefined) {`, `${indent}  throw new Error(\`missing ${field} for \${${a}.id}\`);`, `${indent}}`];
      case 2:
        return [
          `${indent}for (const item of ${a}.${pick(FIELDS)}s ?? []) {`,
          `${indent}  if (item.${field} > ${b}.limit) continue;`,
          `${indent}  result.push({ ...item, ${field}: roundTo(item.${field}, ${between(0, 4)}) });`,
          `${indent}}`,
        ];
      case 3:
        return [`${indent}logger.debug(\`${pick(VERBS)} ${pick(NOUNS)} \${${a}.id}: \${${b}.${field}}\`);`];
      case 4:
        return [`${indent}const ${pick(NOUNS)}Map = new Map(${a}.${pick(FIELDS)}s.map((entry) => [entry.id, entry]));`];
      case 5:
        return [
          `${indent}switch (${a}.status) {`,
          `${indent}  case 'open':`,
          `${indent}    ${b}.${field} = Math.max(0, ${b}.${field} - ${between(1, 9)});`,
          `${indent}    break;`,
          `${indent}  default:`,
          `${indent}    ${b}.${field} = ${a}.${pick(FIELDS)};`,
          `${indent}}`,
        ];
      case 6:
        return [`${indent}const ${field}Label = formatMoney(${a}.${field}) + ' / ' + ${b}.${pick(FIELDS)}.toString();`];
      case 7:
        return [`${indent}await writeFile(path.join(outputDir, \`\${${a}.id}.json\`), JSON.stringify(${b}, null, 2));`];
      case 8:
        return [`${indent}if (!${a}.${field} || ${a}.${field}.length === 0) return result;`];
      default:
        return [`${indent}result.push(${pick(VERBS)}${capitalize(pick(NOUNS))}(${a}, ${b}.${field}));`];
    }
  };

  const body = (indent: string, names: string[], count: number): string[] => {
    const out: string[] = [`${indent}const result: unknown[] = [];`];
    for (let i = 0; i < count; i++) out.push(...statement(indent, names));
    out.push(`${indent}return result;`);
    return out;
  };

  while (lines.length < targetLines) {
    const noun = pick(NOUNS);
    const typeName = capitalize(noun) + pick(['', 'Record', 'Summary', 'Line', 'Options']);
    switch (between(0, 3)) {
      case 0: {
        lines.push(`/** One ${noun}, as the ${pick(NOUNS)} service returns it. */`);
        lines.push(`export interface ${typeName} {`);
        for (let i = between(4, 9); i > 0; i--) {
          if (random() < 0.3) lines.push(`  /** The ${pick(FIELDS)} in the ${pick(NOUNS)}'s own units. */`);
          lines.push(`  ${pick(FIELDS)}${random() < 0.2 ? '?' : ''}: ${pick(FIELD_TYPES)};`);
        }
        lines.push('}');
        types.push(typeName);
        break;
      }
      case 1: {
        const verb = pick(VERBS);
        const params = [noun, pick(NOUNS)];
        const paramTypes = params.map(() => (types.length ? pick(types) : 'unknown'));
        lines.push(`/**`, ` * ${capitalize(verb)}s the ${noun} against the ${params[1]} and collects what changed.`, ` */`);
        lines.push(`export async function ${verb}${capitalize(noun)}(${params.map((p, i) => `${p}: ${paramTypes[i]}`).join(', ')}, logger: Logger): Promise<unknown[]> {`);
        lines.push(...body('  ', params, between(4, 12)));
        lines.push('}');
        break;
      }
      case 2: {
        lines.push(`export type ${typeName}Status = ${['open', 'held', 'closed', 'void'].map((s) => `'${s}'`).join(' | ')};`);
        lines.push(`export const DEFAULT_${noun.toUpperCase()}_LIMIT = ${between(10, 500)};`);
        break;
      }
      default: {
        const className = `${capitalize(noun)}${pick(['Service', 'Store', 'Planner', 'Index'])}`;
        lines.push(`/** Keeps ${noun}s in memory and answers questions about them. */`);
        lines.push(`export class ${className} {`);
        lines.push(`  private readonly items = new Map<string, ${types.length ? pick(types) : 'unknown'}>();`);
        lines.push(`  private ${pick(FIELDS)} = ${between(0, 100)};`, '');
        lines.push(`  constructor(private readonly logger: Logger, private readonly outputDir: string) {}`, '');
        for (let m = between(2, 4); m > 0; m--) {
          const verb = pick(VERBS);
          const other = pick(NOUNS);
          lines.push(`  async ${verb}${capitalize(other)}(${noun}: ${types.length ? pick(types) : 'unknown'}, ${other}: ${types.length ? pick(types) : 'unknown'}): Promise<unknown[]> {`);
          lines.push(`    const { logger, outputDir } = this;`);
          lines.push(...body('    ', [noun, other], between(3, 8)));
          lines.push('  }', '');
        }
        lines.pop();
        lines.push('}');
      }
    }
    lines.push('');
  }
  return lines.slice(0, targetLines).join('\n') + '\n';
}
