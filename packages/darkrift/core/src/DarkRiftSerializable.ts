import type { DarkRiftReader } from "./DarkRiftReader.js";
import type { DarkRiftWriter } from "./DarkRiftWriter.js";

/**
 * A user type that writes and reads itself, like C#'s `IDarkRiftSerializable`.
 * On the wire it has no framing at all: exactly the bytes `serialize` writes.
 */
export interface DarkRiftSerializable {
  serialize(writer: DarkRiftWriter): void;
  deserialize(reader: DarkRiftReader): void;
}

/** A constructor of a {@link DarkRiftSerializable} that takes no arguments. */
export type DarkRiftSerializableConstructor<T extends DarkRiftSerializable> = new () => T;
