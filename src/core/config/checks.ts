import { isHttpUrl } from '../urls';
import { quoted } from '../words';

/** A setting's checks: each says what is wrong with a value (read into a problem with the setting's key), or undefined. */

export const isString = (v: unknown) => (typeof v === 'string' ? undefined : 'must be a string');
export const isBoolean = (v: unknown) => (typeof v === 'boolean' ? undefined : 'must be true or false');
export const isObject = (v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v) ? undefined : 'must be an object';
export const number = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
    ? undefined
    : `must be a number from ${min} to ${max}`;
/** As `number`, its message also quoting the value given ("fast", 10): read in a log, far from the settings file. */
export const numberNamingValue = (min: number, max: number) => (v: unknown) => {
  const problem = number(min, max)(v);
  return problem === undefined ? undefined : `${problem}, not ${quoted(v)}`;
};
/**
 * A share from 0 to 1 (the Auto dial, the budget warning): 50 or "50%" is a
 * percentage the user meant, so the message says how to write it.
 */
export const share = (v: unknown) => {
  if (number(0, 1)(v) === undefined) return undefined;
  const percent = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?\s*%$/.test(v) ? Number.parseFloat(v) : Number.NaN;
  if (percent > 1 && percent <= 100) return `must be a share from 0 to 1, not a percentage (${Number((percent / 100).toFixed(4))} for ${percent} %)`;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 1) return `must be a number, not text (${Number(v)}, without quotes)`;
  return 'must be a number from 0 to 1';
};
export const isUrl = (v: unknown) => {
  if (typeof v !== 'string') return 'must be a string';
  return v === '' || isHttpUrl(v) ? undefined : `${quoted(v)} is not an http(s) URL`;
};

/** A rate or a limit with no upper bound: a finite number, 0 or more. */
export function isNonNegativeNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}
