import { formatUsd } from '../cost';
import { plural } from '../words';
import type { Savings } from './costView';

/**
 * What the saving leaves out for Auto's hand-overs from a failed strong tier
 * to the cheap tier, in the words the dashboard and `switchboard costs` both
 * print; '' when there were none. Their lower cost is a failure's side
 * effect, not a choice of routing's, so it is said apart rather than added.
 */
export function handedOverNote(savings: Pick<Savings, 'handedOverRequests' | 'handedOverUsd'>): string {
  const count = savings.handedOverRequests;
  if (count === 0) return '';
  const difference = savings.handedOverUsd;
  const than = `${formatUsd(Math.abs(difference))} ${difference >= 0 ? 'less' : 'more'} than on the strong tier`;
  return (
    `Not in the saving: ${plural(count, 'request')} Auto sent to the strong tier and handed over to the cheap tier because the strong tier failed ` +
    `(${than}), counted at what ${count === 1 ? 'it' : 'they'} cost, since a failure chose the cheap tier, not routing.`
  );
}
