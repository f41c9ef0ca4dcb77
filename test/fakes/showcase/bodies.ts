/**
 * A small corpus of function bodies by language and return type, filled in
 * with the names at hand: the parameters, the enclosing class's collections
 * and the fields of the element type. Each body only uses what it found
 * declared, so it type-checks where the signature does; when nothing fits,
 * there is no body (no ghost text) rather than an invented one.
 */
import {
  elementType,
  isBooleanType,
  isNumberType,
  isStringType,
  mapValueType,
  singular,
  type Field,
  type LanguageFamily,
  type Signature,
} from './codeFacts';

export interface BodyFacts {
  /** Types declared in the file and the snippets sent with it, with their fields. */
  types: Map<string, Field[]>;
  /** Fields of the class the function is a method of. */
  classFields: Field[];
}

/** A collection the body can read: an expression for an array of `element`, and a name for one element. */
interface Collection {
  array: string;
  element: string;
  item: string;
}

export function composeBody(signature: Signature, facts: BodyFacts, family: LanguageFamily): string[] {
  if (family === 'ts') return tsBody(signature, facts);
  if (family === 'py') return pyBody(signature, facts);
  return [];
}

function tsBody(signature: Signature, facts: BodyFacts): string[] {
  const returns = signature.returns.replace(/^Promise<(.+)>$/, '$1').trim();
  const collection = collections(signature, facts, 'ts')[0];
  const fields = collection ? (facts.types.get(collection.element) ?? []) : [];
  const paramOf = (wanted: (type: string) => boolean) => signature.params.find((p) => wanted(p.type))?.name;
  const numericField = fields.find((f) => isNumberType(f.type))?.name;
  const stringField = fields.find((f) => isStringType(f.type))?.name;

  const returnedElement = elementType(returns);
  if (returnedElement && collection && returnedElement === collection.element) {
    const limit = paramOf(isNumberType);
    const query = paramOf(isStringType);
    if (numericField && limit) return [`return ${collection.array}.filter((${collection.item}) => ${collection.item}.${numericField} <= ${limit});`];
    if (stringField && query) return [`return ${collection.array}.filter((${collection.item}) => ${collection.item}.${stringField}.includes(${query}));`];
    return [`return [...${collection.array}];`];
  }
  if (isNumberType(returns)) {
    if (collection && numericField) {
      return [`return ${collection.array}.reduce((sum, ${collection.item}) => sum + ${collection.item}.${numericField}, 0);`];
    }
    const numbers = signature.params.filter((p) => isNumberType(p.type)).map((p) => p.name);
    if (numbers.length > 0) return [`return ${numbers.join(' + ')};`];
  }
  if (isStringType(returns)) {
    const described = signature.params.find((p) => (facts.types.get(p.type) ?? []).some((f) => isStringType(f.type)));
    if (described) {
      const names = (facts.types.get(described.type) ?? []).filter((f) => isStringType(f.type)).map((f) => `\${${described.name}.${f.name}}`);
      return [`return \`${names.slice(0, 2).join(' · ')}\`;`];
    }
    const text = paramOf(isStringType);
    if (text) return [`return ${text}.trim();`];
    const count = paramOf(isNumberType);
    if (count) return [`return String(${count});`];
  }
  if (isBooleanType(returns)) {
    const query = paramOf(isStringType);
    if (collection && stringField && query) return [`return ${collection.array}.some((${collection.item}) => ${collection.item}.${stringField} === ${query});`];
    const count = paramOf(isNumberType);
    if (count) return [`return ${count} > 0;`];
  }
  const maybe = /^(\w+)\s*\|\s*undefined$/.exec(returns)?.[1];
  const key = paramOf(isStringType);
  const keyed = facts.classFields.find((f) => mapValueType(f.type) === maybe);
  if (maybe && keyed && key) return [`return this.${keyed.name}.get(${key});`];
  return [];
}

function pyBody(signature: Signature, facts: BodyFacts): string[] {
  const returns = signature.returns;
  const collection = collections(signature, facts, 'py')[0];
  if (!collection) return [];
  const fields = facts.types.get(collection.element) ?? [];
  const numericField = fields.find((f) => isNumberType(f.type))?.name;
  const stringField = fields.find((f) => isStringType(f.type))?.name;
  const limit = signature.params.find((p) => isNumberType(p.type))?.name;
  const { item, array } = collection;

  const returnedElement = elementType(returns);
  if (returnedElement && isStringType(returnedElement) && stringField) {
    if (!numericField) return [`return [${item}.${stringField} for ${item} in ${array}]`];
    return [
      'totals: dict[str, int] = {}',
      `for ${item} in ${array}:`,
      `    totals[${item}.${stringField}] = totals.get(${item}.${stringField}, 0) + ${item}.${numericField}`,
      `return sorted(totals, key=lambda key: totals[key], reverse=True)${limit ? `[:${limit}]` : ''}`,
    ];
  }
  if (returnedElement === collection.element) {
    if (numericField && limit) return [`return [${item} for ${item} in ${array} if ${item}.${numericField} <= ${limit}]`];
    return [`return list(${array})`];
  }
  if (isNumberType(returns) && numericField) return [`return sum(${item}.${numericField} for ${item} in ${array})`];
  if (isBooleanType(returns) && numericField) return [`return any(${item}.${numericField} > 0 for ${item} in ${array})`];
  return [];
}

/** Arrays the body can read, best first: parameters holding a list, then the class's lists and maps. */
function collections(signature: Signature, facts: BodyFacts, family: LanguageFamily): Collection[] {
  const found: Collection[] = [];
  for (const param of signature.params) {
    const element = elementType(param.type);
    if (element) found.push({ array: param.name, element, item: singular(param.name) });
  }
  if (family === 'ts') {
    for (const field of facts.classFields) {
      const listed = elementType(field.type);
      const mapped = mapValueType(field.type);
      if (listed) found.push({ array: `this.${field.name}`, element: listed, item: singular(field.name) });
      else if (mapped) found.push({ array: `Array.from(this.${field.name}.values())`, element: mapped, item: singular(field.name) });
    }
  }
  return found;
}
