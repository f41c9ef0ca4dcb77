/**
 * How the servers people point the `openai` provider at say that nothing is served at the path asked, which is
 * most often a baseUrl without `/v1` (`http://localhost:8000` for vLLM's `http://localhost:8000/v1`). Quoted as
 * they are, their words say only "Not Found" or "Unexpected endpoint", and the user is left to guess the fix.
 */

/**
 * A 404's words that say nothing but that: a web framework's default for a path it has no route for (FastAPI's
 * `{"detail":"Not Found"}` from vLLM and LiteLLM, Go's "404 page not found" from Ollama), not a server's own
 * reason (LM Studio's "Model … not found", OpenAI's "The model … does not exist").
 */
export function saysOnlyNotFound(words: string): boolean {
  return /^(?:404\s*:?\s*)?(?:page\s+)?not\s+found[.!]?$/i.test(words.trim());
}

/**
 * LM Studio answers a path it does not serve with a 200 and `{"error":"Unexpected endpoint or method. (POST
 * /chat/completions)"}` (its log says "Returning 200 anyway"): for a request, and for the model listing that
 * `switchboard doctor` reads, where it would otherwise read as a server that lists no models.
 */
export function isUnexpectedEndpoint(words: string): boolean {
  return /^unexpected endpoint or method\b/i.test(words.trim());
}
