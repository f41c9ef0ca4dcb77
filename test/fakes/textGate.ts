/**
 * The client's side of a deterministic mid-stream cut: the test passes
 * `received` to the fake as `cutOnceReceived` and feeds every piece of text
 * its client surfaces to `onText`; the fake cuts once `expected` has arrived.
 */
export interface TextGate {
  readonly received: Promise<void>;
  onText(piece: string): void;
}

export function textGate(expected: string): TextGate {
  let seen = '';
  let open!: () => void;
  const received = new Promise<void>((resolve) => (open = resolve));
  return {
    received,
    onText(piece) {
      seen += piece;
      if (seen.length >= expected.length) open();
    },
  };
}
