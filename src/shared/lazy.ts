/**
 * A value built on its first use, then kept. The webview protocols' zod
 * schemas take milliseconds to build, and the extension host evaluates every
 * module of its bundle at activation: built lazily, they cost nothing until a
 * panel first sends or receives a message.
 */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
