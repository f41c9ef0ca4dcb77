// `--model gpt-5.4`: a model id without its provider, as the provider's own docs write it. The fix is one word away,
// and the price table knows which provider serves that id.
import { BUILT_IN_PROVIDERS } from '../core/config';
import { PriceTable } from '../core/prices/priceTable';

/** "did you mean openai:gpt-5.4? ": the references of the providers whose price table lists `typed`, or "" when none does. */
export function providerGuess(typed: string): string {
  const prices = new PriceTable();
  const refs = BUILT_IN_PROVIDERS.filter((provider) => prices.modelIds(provider).includes(typed)).map((provider) => `${provider}:${typed}`);
  return refs.length > 0 ? `did you mean ${refs.join(' or ')}? ` : '';
}
