/**
 * The cheap tiers Auto uses when the user has not set their own. The strong
 * tier of each route is its existing list (`switchboard.routes.chat`,
 * `switchboard.routes.plan`). The provider order mirrors the default strong
 * lists, so a user with one provider's key gets that provider on both tiers.
 *
 * Chat's cheap tier is the small models of each vendor; Plan's is the strong
 * chat models: a plan steers a lot of later work, so even its cheap tier is
 * a capable model, and the savings come from not sending every plan to the
 * largest one.
 */
export const DEFAULT_CHEAP_TIERS = {
  chat: ['anthropic:claude-haiku-4-5', 'openai:gpt-5.4-mini', 'bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0'],
  plan: ['anthropic:claude-sonnet-5', 'openai:gpt-5.4', 'bedrock:us.anthropic.claude-sonnet-5'],
} as const;
