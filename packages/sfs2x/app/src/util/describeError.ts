/**
 * @internal An error's message followed by those of its causes ("fetch failed: connect
 * ECONNREFUSED 127.0.0.1:8443"): `fetch` hides the useful part (refused, DNS, TLS) in `cause`.
 */
export function describeError(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur !== undefined && cur !== null; depth++) {
    const text = cur instanceof Error ? cur.message : String(cur);
    if (text !== "" && !parts.includes(text)) parts.push(text);
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return parts.length > 0 ? parts.join(": ") : String(e);
}
