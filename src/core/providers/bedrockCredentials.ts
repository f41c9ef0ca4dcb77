import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { performance } from 'node:perf_hooks';
import { requestSent, type CredentialFetch } from './connectionPhases';

/** The AWS credential chain as the SDK builds it, and the provider the Bedrock client is given. */
type CredentialChain = ReturnType<typeof defaultProvider>;

/**
 * The credentials Bedrock's requests are signed with, through a provider of ours handed to the client: the AWS SDK's
 * default credential chain (the profile given, else AWS_PROFILE, the environment's keys, SSO, assume-role, a
 * credential_process, web identity, a container's or instance's role), asked through one fetch at a time, shared by
 * every request that asks while it is in flight. Knowing when a fetch is in flight, and from where (`source`, in
 * words: awsCredentialSource.ts), lets a request's wait for it be told from the model's silence (connectionPhases.ts).
 *
 * Expiry is the chain's own, as the SDK has it: credentials it holds are handed out until 5 minutes before they
 * expire, then refreshed in the background while they still serve, and waited for only once they have expired. The
 * client asks again from 5 minutes before (its own memoizing of a provider it is given), which reaches the chain.
 *
 * `clientConfig`: given to the clients the chain makes (STS, SSO), as the SDK passes the Bedrock client's own.
 */
export class SharedCredentialFetch {
  private inFlight: { promise: ReturnType<CredentialChain>; since: number } | undefined;
  private readonly chain: CredentialChain;

  constructor(
    readonly source: string,
    init: { profile?: string; clientConfig?: { ignoreConfiguredEndpointUrls?: boolean } },
  ) {
    this.chain = defaultProvider(init);
  }

  /** The provider the client is given: the fetch in flight, or a new one. */
  readonly provide: CredentialChain = (options) => {
    if (this.inFlight) return this.inFlight.promise;
    const promise = this.chain(options).finally(() => {
      if (this.inFlight?.promise === promise) this.inFlight = undefined;
    });
    this.inFlight = { promise, since: performance.now() };
    return promise;
  };

  /** The fetch in flight, if any: where from, since when. */
  readonly fetching = (): CredentialFetch | undefined => this.inFlight && { source: this.source, since: this.inFlight.since };
}

/**
 * `handler`, telling each request it is handed as sent (connectionPhases.ts' requestSent): the client calls it once
 * the request is signed, so its credentials are in hand. The handler itself, not a copy: the client also calls its
 * destroy and configuration methods.
 */
export function tellingRequestsSent<H extends { handle: (...args: never[]) => Promise<unknown> }>(handler: H): H {
  const handle = handler.handle.bind(handler) as (...args: unknown[]) => Promise<unknown>;
  (handler as unknown as { handle: (...args: unknown[]) => Promise<unknown> }).handle = (...args: unknown[]) => {
    requestSent();
    return handle(...args);
  };
  return handler;
}
