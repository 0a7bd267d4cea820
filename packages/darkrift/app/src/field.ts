import { MessageDefinitionError } from "./errors.js";
import { resolveWireType, type FieldOptions, type FieldType } from "./FieldType.js";
import { assertLegacyDecorator } from "./legacyDecorators.js";
import { addOwnField } from "./metadata.js";

/** Names a field may not take: they are members of `TypedMessage` or of every object. */
const RESERVED = new Set(["serialize", "deserialize", "toMessage", "toBytes", "constructor", "__proto__", "prototype"]);

/**
 * Declares a wire field of a `TypedMessage` subclass. Fields are written and read in declaration
 * order (base-class fields first). The wire type is always explicit:
 *
 * ```ts
 * @message(1)
 * class ChooseMessage extends TypedMessage {
 *   @field("int32[]") items: number[] = [];
 *   @field("string", { encoding: "utf8" }) note = "";
 *   @field(Vec2) position = new Vec2();
 *   @field([Vec2]) path: Vec2[] = [];
 *   @field("uint64", { optional: true }) stamp = 0n;
 * }
 * ```
 */
export function field(type: FieldType, options: FieldOptions = {}): (target: object, key: string | symbol) => void {
  const label = typeof type === "string" ? type : typeof type === "function" ? type.name || "() => …" : Array.isArray(type) ? `[${(type[0] as { name?: string } | undefined)?.name ?? "?"}]` : String(type);
  if (typeof type === "string") {
    const wire = resolveWireType(type);
    if (!wire) throw new MessageDefinitionError("BAD_FIELD_TYPE", `unknown wire type "${type}"`);
    if (options.encoding !== undefined && !wire.textual) {
      throw new MessageDefinitionError("BAD_FIELD_TYPE", `an encoding applies only to string and char fields, not "${type}"`);
    }
  } else if (Array.isArray(type)) {
    if (type.length !== 1 || typeof type[0] !== "function") throw new MessageDefinitionError("BAD_FIELD_TYPE", "an array field type is [Class]");
  } else if (typeof type !== "function") {
    throw new MessageDefinitionError("BAD_FIELD_TYPE", `bad field type ${label}`);
  }
  if (options.encoding !== undefined && typeof type !== "string") {
    throw new MessageDefinitionError("BAD_FIELD_TYPE", "an encoding applies only to string and char fields");
  }
  if (options.encoding !== undefined && !["utf16le", "utf8", "ascii"].includes(options.encoding)) {
    throw new MessageDefinitionError("BAD_FIELD_TYPE", `unknown encoding "${String(options.encoding)}"`);
  }
  return (target, key) => {
    assertLegacyDecorator(`@field(${label})`, key);
    if (typeof key !== "string") throw new MessageDefinitionError("BAD_FIELD", "a wire field needs a string name, not a symbol");
    if (typeof target === "function") throw new MessageDefinitionError("BAD_FIELD", `static member ${key} cannot be a wire field`);
    if (RESERVED.has(key)) throw new MessageDefinitionError("BAD_FIELD", `"${key}" is reserved and cannot be a wire field`);
    addOwnField(target, { key, type, options: { ...options } });
  };
}
