import type { GatewayName, ModelRequest, ProviderKind, StreamEvent } from '../types';
import type { TunnelProxy } from './proxyTunnel';

/**
 * One provider endpoint, reached through its official SDK.
 * Adapters do no retrying of their own: the router is the one retry loop,
 * so a failing provider hands over to the next model quickly.
 */
export interface ProviderAdapter {
  readonly id: string;
  readonly kind: ProviderKind;
  /**
   * Streams one answer. Must stop the HTTP stream when `signal` aborts and
   * then throw a ProviderError of kind 'cancelled'. Every other failure is
   * thrown as a ProviderError (see providerError.ts), never as a raw SDK error.
   */
  stream(model: string, request: ModelRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
  /** Closes connections the SDK keeps open between requests (Bedrock's HTTP/2 sessions). */
  dispose?(): void;
  /**
   * Opens a connection to the endpoint with a request that is never billed
   * (listing models), so the next `stream` need not wait for TCP and TLS.
   * Rejects on any failure; callers ignore it. Absent where no such request exists.
   */
  warm?(): Promise<void>;
  /**
   * Proves the provider can be reached with its credentials, spending nothing (`switchboard doctor`, Check Setup):
   * resolves to what was found ("lists 12 models"), with the ids listed when the list is whole (one page); rejects
   * with a ProviderError, whose message is redacted as a request's is (a 401's body may quote part of the key).
   */
  check?(signal: AbortSignal): Promise<CheckFound>;
}

/** What a provider's free check found: words for the report, and the model ids its server lists, when it lists them all. */
export interface CheckFound {
  detail: string;
  /** Every id the server lists: a route's model not among them would be answered "model not found". */
  models?: readonly string[];
}

/** Everything needed to build an adapter; resolved from settings plus secrets. */
/** Where Bedrock's requests go: an endpoint set (`from` names where), or AWS's own for a region (`region` and where that came from). */
export interface BedrockAddress {
  url: string;
  /** The setting or variable that named the endpoint, or the region. */
  from: string;
  /** Set when the endpoint is AWS's own for this region. */
  region?: string;
}

export interface ProviderSettings {
  id: string;
  kind: ProviderKind;
  /** openai: as the OpenAI SDK takes it, ending in /v1. anthropic: the bare host. */
  baseUrl?: string;
  apiKey?: string;
  /** bedrock only; the registry resolves the region (setting, then AWS_REGION, AWS_DEFAULT_REGION, us-east-1). */
  region?: string;
  endpoint?: string;
  profile?: string;
  /** bedrock only: where the credential chain takes its credentials from, in words (awsCredentialSource.ts). */
  credentialSource?: string;
  /** bedrock only: the AWS SDK's endpoint from the environment or a profile (AWS_ENDPOINT_URL…, endpoint_url) is not used. */
  ignoreConfiguredEndpoints?: true;
  /**
   * bedrock only: the address its requests go to and what gave it (a setting, an AWS variable, or the region and
   * what gave that), named when it cannot be reached: the setting to check, as a baseUrl is for the others.
   */
  address?: BedrockAddress;
  /** bedrock only: the proxy its requests go through, over HTTP/1.1 in a CONNECT tunnel (bedrockProxy.ts); absent: HTTP/2, direct. */
  proxy?: TunnelProxy;
  /** openai-compatible endpoints whose models do native fill-in-the-middle via /v1/completions. */
  fim?: boolean;
  /** The endpoint is this gateway (set, or recognised from baseUrl): OpenRouter is asked for usage accounting. */
  gateway?: GatewayName;
  /** Headers the SDK would add from the environment (envHeaders.ts), to be removed. */
  clearHeaders?: string[];
}
