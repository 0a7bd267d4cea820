import { SFSArray, SFSDataType } from "@sfs2x/core";
import { RoomError } from "../rooms/RoomError.js";

// Checked reads of entity arrays sent by a server: a wrong type is a RoomError (28), never a
// silently wrong value. Integer fields accept any integer wire type.

const INTS = new Set<number>([SFSDataType.BYTE, SFSDataType.SHORT, SFSDataType.INT, SFSDataType.LONG]);

function bad(what: string, detail: string): RoomError {
  return RoomError.generic(`Bad ${what} array: ${detail}`);
}

/** @internal */
export function readInt(a: SFSArray, i: number, what: string): number {
  const t = a.getType(i);
  const v = a.get(i);
  if (t === undefined || !INTS.has(t) || typeof v !== "number") throw bad(what, `[${i}] must be an integer`);
  return v;
}

/** @internal */
export function readOptionalInt(a: SFSArray, i: number, what: string, fallback: number): number {
  const t = a.getType(i);
  return t === undefined || t === SFSDataType.NULL ? fallback : readInt(a, i, what);
}

/** @internal */
export function readString(a: SFSArray, i: number, what: string): string {
  const t = a.getType(i);
  if (t !== SFSDataType.UTF_STRING && t !== SFSDataType.TEXT) throw bad(what, `[${i}] must be a UTF_STRING`);
  return a.get(i) as string;
}

/** @internal */
export function readBool(a: SFSArray, i: number, what: string): boolean {
  if (a.getType(i) !== SFSDataType.BOOL) throw bad(what, `[${i}] must be a BOOL`);
  return a.get(i) as boolean;
}

/** @internal An SFSArray element, or undefined when absent or NULL. */
export function readOptionalArray(a: SFSArray, i: number, what: string): SFSArray | undefined {
  const t = a.getType(i);
  if (t === undefined || t === SFSDataType.NULL) return undefined;
  if (t !== SFSDataType.SFS_ARRAY) throw bad(what, `[${i}] must be an SFS_ARRAY`);
  return a.get(i) as SFSArray;
}

/** @internal Each element of a list of arrays. */
export function eachArray(list: SFSArray, what: string, fn: (a: SFSArray) => void): void {
  for (let i = 0; i < list.size(); i++) {
    if (list.getType(i) !== SFSDataType.SFS_ARRAY) throw bad(what, `element ${i} must be an SFS_ARRAY`);
    fn(list.get(i) as SFSArray);
  }
}
