import { MessageDefinitionError } from "./errors.js";

/**
 * Throws when a decorator is called the way TC39 standard decorators are (`(value, context)` with a
 * `context.kind`), which is what TypeScript emits without `experimentalDecorators` (and what esbuild,
 * tsx and Vite emit for such a tsconfig): fields would silently not be registered otherwise.
 */
export function assertLegacyDecorator(decorator: string, second: unknown): void {
  if (typeof second !== "object" || second === null || typeof (second as { kind?: unknown }).kind !== "string") return;
  const { kind, name } = second as { kind: string; name?: unknown };
  const what = typeof name === "string" ? ` on ${kind} "${name}"` : ` on a ${kind}`;
  throw new MessageDefinitionError(
    "NEEDS_EXPERIMENTAL_DECORATORS",
    `${decorator} was called as a standard (TC39) decorator${what}: enable experimentalDecorators in tsconfig ` +
      `("compilerOptions": { "experimentalDecorators": true }); @darkrift/app requires TypeScript legacy decorators`,
  );
}
