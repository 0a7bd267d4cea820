import type { SFSArray } from "./SFSArray.js";
import { SFSDataType, sfsDataTypeName } from "./SFSDataType.js";
import type { SFSObject } from "./SFSObject.js";

const INDENT = "  ";

function scalar(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 200 ? v.slice(0, 200) + "…" : v);
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}`;
  return String(v);
}

function valueText(type: number, v: unknown): string {
  if (type === SFSDataType.BYTE_ARRAY) {
    const b = v as Uint8Array;
    const shown = Array.from(b.subarray(0, 32), (x) => x.toString(16).padStart(2, "0")).join(" ");
    return `<${b.length} bytes>${b.length ? " " + shown : ""}${b.length > 32 ? " …" : ""}`;
  }
  if (Array.isArray(v)) return `[${v.map(scalar).join(", ")}]`;
  return scalar(v);
}

function label(type: number): string {
  return `(${(sfsDataTypeName(type) ?? String(type)).toLowerCase()})`;
}

function dumpEntries(lines: string[], types: number[], values: unknown[], names: string[] | undefined, depth: number): void {
  const pad = INDENT.repeat(depth);
  for (let i = 0; i < types.length; i++) {
    const t = types[i]!;
    const v = values[i];
    const name = names ? `${JSON.stringify(names[i])}` : `[${i}]`;
    if (t === SFSDataType.SFS_OBJECT) {
      const o = v as SFSObject;
      lines.push(`${pad}${label(t)} ${name}: {${o._keys.length === 0 ? "}" : ""}`);
      if (o._keys.length) {
        dumpEntries(lines, o._types, o._values, o._keys, depth + 1);
        lines.push(`${pad}}`);
      }
    } else if (t === SFSDataType.SFS_ARRAY) {
      const a = v as SFSArray;
      lines.push(`${pad}${label(t)} ${name}: [${a._types.length === 0 ? "]" : ""}`);
      if (a._types.length) {
        dumpEntries(lines, a._types, a._values, undefined, depth + 1);
        lines.push(`${pad}]`);
      }
    } else {
      lines.push(`${pad}${label(t)} ${name}: ${valueText(t, v)}`);
    }
  }
}

/** @internal `SFSObject.getDump()`. */
export function dumpObject(o: SFSObject): string {
  const lines = ["(sfs_object) {"];
  dumpEntries(lines, o._types, o._values, o._keys, 1);
  lines.push("}");
  return lines.join("\n");
}

/** @internal `SFSArray.getDump()`. */
export function dumpArray(a: SFSArray): string {
  const lines = ["(sfs_array) ["];
  dumpEntries(lines, a._types, a._values, undefined, 1);
  lines.push("]");
  return lines.join("\n");
}
