/**
 * String encodings a DarkRift peer may use. The encoding is never on the wire: both ends
 * must agree out of band. C# DarkRift defaults to `Encoding.Unicode` (UTF-16LE).
 */
export type DarkRiftEncoding = "utf16le" | "utf8" | "ascii";

/** The default encoding of writers and readers, as in C# DarkRift 2. */
export const DEFAULT_ENCODING: DarkRiftEncoding = "utf16le";

/** Throws unless `e` is one of the supported encodings (guards untyped callers). */
export function checkEncoding(e: unknown): DarkRiftEncoding {
  if (e === "utf16le" || e === "utf8" || e === "ascii") return e;
  throw new TypeError(`Unknown DarkRift encoding ${String(e)}: use "utf16le", "utf8" or "ascii"`);
}
