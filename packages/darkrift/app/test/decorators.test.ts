import ts from "typescript";
import { describe, expect, it } from "vitest";
import { field, message, MessageDefinitionError, serializable, TypedMessage } from "../src/index.js";

const HINT = /enable experimentalDecorators in tsconfig .*TypeScript legacy decorators/;

/** Compiles a snippet the way a project without experimentalDecorators does, then runs it. */
function runStandard(source: string): unknown {
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, experimentalDecorators: false },
  }).outputText;
  // The emitted code calls the real decorators with TC39's (value, context) arguments.
  expect(js).toContain("__esDecorate");
  return new Function("field", "message", "serializable", "TypedMessage", js)(field, message, serializable, TypedMessage);
}

describe("decorators compiled without experimentalDecorators", () => {
  it("@field says to enable experimentalDecorators", () => {
    let error: unknown;
    try {
      runStandard(`
        @message(1)
        class Move extends TypedMessage {
          @field("int32") x = 0;
        }
      `);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MessageDefinitionError);
    expect((error as MessageDefinitionError).code).toBe("NEEDS_EXPERIMENTAL_DECORATORS");
    expect((error as Error).message).toMatch(/^@field\(int32\) was called as a standard \(TC39\) decorator on field "x"/);
    expect((error as Error).message).toMatch(HINT);
    expect((error as Error).message).not.toMatch(/symbol/);
  });

  it("@message and @serializable say it too (a class with no @field)", () => {
    expect(() => runStandard(`@message(2) class Empty extends TypedMessage {}`)).toThrow(/^@message\(2\) was called as a standard \(TC39\) decorator on class "Empty"/);
    expect(() => runStandard(`@serializable() class Part extends TypedMessage {}`)).toThrow(HINT);
  });

  it("legacy calls are unaffected, and a real symbol key still gets its own message", () => {
    class Legacy extends TypedMessage {
      n = 0;
    }
    expect(() => field("int32")(Legacy.prototype, "n")).not.toThrow();
    expect(() => field("int32")(Legacy.prototype, Symbol("s"))).toThrow("a wire field needs a string name, not a symbol");
  });
});
