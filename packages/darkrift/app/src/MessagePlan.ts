import { DarkRiftEncodeError, type DarkRiftEncoding, type DarkRiftReader, type DarkRiftSerializable, type DarkRiftWriter } from "@darkrift/core";
import { MessageDefinitionError, TypedMessageError } from "./errors.js";
import { resolveWireType, type FieldType, type NestedClass } from "./FieldType.js";
import { getClassEncoding, getOwnFields } from "./metadata.js";

/** How one field is written and read, resolved from its `@field` declaration. */
export interface FieldPlan {
  readonly key: string;
  /** The type as a human reads it, e.g. `"int32[]"` or `"[Vec2]"`. */
  readonly label: string;
  readonly optional: boolean;
  readonly kind: "primitive" | "typed" | "typedArray" | "foreign" | "foreignArray";
  /** Writer/reader method suffix of a primitive field (`"Int32s"`). */
  readonly method?: string;
  /** Encoding of a textual field, when fixed by the field or the class. */
  readonly encoding?: DarkRiftEncoding;
  /** Class of a nested field. */
  readonly cls?: NestedClass;
}

/**
 * The compiled serialise/deserialise plan of one typed class, built once per class on first use.
 * By default the plan is compiled to a specialised function (`new Function`), which V8 optimises
 * like hand-written code; where code generation is forbidden (a strict CSP) it falls back to a
 * table of closures with the same behaviour.
 */
export interface MessagePlan {
  readonly cls: Function;
  readonly name: string;
  readonly fields: readonly FieldPlan[];
  readonly keys: ReadonlySet<string>;
  /** How the plan was compiled: generated code, or closures where code generation is forbidden. */
  readonly mode: "codegen" | "closures";
  /** @internal The {@link planEpoch} the plan was compiled in. */
  readonly epoch: number;
  write(writer: DarkRiftWriter, obj: object): void;
  read(reader: DarkRiftReader, obj: object): void;
}

type WriteFn = (w: DarkRiftWriter, o: Record<string, unknown>) => void;
type ReadFn = (r: DarkRiftReader, o: Record<string, unknown>) => void;

let plans = new WeakMap<Function, MessagePlan>();
/** @internal Bumped whenever compiled plans are discarded, so caches elsewhere can tell. */
export let planEpoch = 0;
let useCodegen = true;
let typedBase: Function | undefined;

/** @internal Lets `TypedMessage` identify its subclasses without an import cycle. */
export function setTypedBase(base: Function): void {
  typedBase = base;
}

/** @internal For tests: switch code generation off (or on) and forget compiled plans. */
export function setCodegenEnabled(enabled: boolean): void {
  useCodegen = enabled;
  plans = new WeakMap();
  planEpoch++;
}

const isTyped = (cls: Function): boolean => typedBase !== undefined && (cls === typedBase || cls.prototype instanceof typedBase);

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

function checkObject(v: unknown, label: string, index?: number): asserts v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) {
    const where = index === undefined ? "" : ` at index ${index}`;
    throw new DarkRiftEncodeError("BAD_VALUE", `expected a ${label} object${where}, got ${describe(v)}`);
  }
}

function checkArray(v: unknown, label: string): asserts v is ArrayLike<unknown> {
  if (typeof v !== "object" || v === null || typeof (v as ArrayLike<unknown>).length !== "number") {
    throw new DarkRiftEncodeError("BAD_VALUE", `expected an array of ${label}, got ${describe(v)}`);
  }
}

// Helpers the generated code and the closures share.
const helpers = {
  writeTyped(w: DarkRiftWriter, plan: MessagePlan, v: unknown): void {
    checkObject(v, plan.name);
    plan.write(w, v);
  },
  writeTypedArray(w: DarkRiftWriter, plan: MessagePlan, v: unknown): void {
    checkArray(v, plan.name);
    const n = v.length;
    w.writeInt32(n);
    for (let i = 0; i < n; i++) {
      const item = v[i];
      checkObject(item, plan.name, i);
      plan.write(w, item);
    }
  },
  writeForeign(w: DarkRiftWriter, cls: NestedClass, v: unknown): void {
    if (typeof (v as DarkRiftSerializable | null)?.serialize !== "function") {
      throw new DarkRiftEncodeError("BAD_VALUE", `expected a serializable ${cls.name}, got ${describe(v)}`);
    }
    w.writeSerializable(v as DarkRiftSerializable);
  },
  writeForeignArray(w: DarkRiftWriter, cls: NestedClass, v: unknown): void {
    checkArray(v, cls.name);
    for (let i = 0; i < v.length; i++) {
      if (typeof (v[i] as DarkRiftSerializable | null)?.serialize !== "function") {
        throw new DarkRiftEncodeError("BAD_VALUE", `expected a serializable ${cls.name} at index ${i}, got ${describe(v[i])}`);
      }
    }
    w.writeSerializables(v as ArrayLike<DarkRiftSerializable>);
  },
};

/** The plan of `cls`, compiled on first use and cached. */
export function planOf(cls: Function): MessagePlan {
  let plan = plans.get(cls);
  if (plan === undefined) {
    const mutable = { cls, name: cls.name || "(anonymous)", fields: [] as FieldPlan[], keys: new Set<string>(), epoch: planEpoch } as unknown as MessagePlan & {
      fields: FieldPlan[];
      keys: Set<string>;
    };
    // Registered before compiling so that self-referencing classes find themselves.
    plans.set(cls, mutable);
    try {
      compile(mutable);
    } catch (e) {
      plans.delete(cls);
      throw e;
    }
    plan = mutable;
  }
  return plan;
}

function nestedLabel(type: FieldType): string {
  return typeof type === "string" ? type : Array.isArray(type) ? `[${(type[0] as Function).name}]` : (type as Function).name;
}

function resolveField(plan: MessagePlan, key: string, type: FieldType, encoding: DarkRiftEncoding | undefined, optional: boolean): FieldPlan {
  if (typeof type === "string") {
    const wire = resolveWireType(type)!;
    return { key, label: wire.name, optional, kind: "primitive", method: wire.method, encoding: wire.textual ? encoding : undefined };
  }
  // An arrow function (no prototype) is a thunk for a class declared later or the class itself.
  let t: NestedClass | readonly [NestedClass] = type as NestedClass | readonly [NestedClass];
  if (typeof type === "function" && !Object.hasOwn(type, "prototype")) {
    t = (type as () => NestedClass | readonly [NestedClass])();
    const ok = Array.isArray(t) ? t.length === 1 && typeof t[0] === "function" : typeof t === "function";
    if (!ok) throw new MessageDefinitionError("BAD_FIELD_TYPE", `${plan.name}.${key}: the type thunk must return a class or [Class]`);
  }
  const isArray = Array.isArray(t);
  const cls = (isArray ? (t as readonly [NestedClass])[0] : t) as NestedClass;
  const typed = isTyped(cls);
  const label = nestedLabel(isArray ? [cls] : cls);
  return { key, label, optional, kind: typed ? (isArray ? "typedArray" : "typed") : isArray ? "foreignArray" : "foreign", cls };
}

function compile(plan: MessagePlan & { fields: FieldPlan[]; keys: Set<string> }): void {
  const cls = plan.cls;
  const chain: object[] = [];
  for (let p = cls.prototype as object | null; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) chain.unshift(p);
  const classEncoding = getClassEncoding(cls);
  for (const proto of chain) {
    for (const def of getOwnFields(proto)) {
      if (plan.keys.has(def.key)) throw new MessageDefinitionError("DUPLICATE_FIELD", `${plan.name}.${def.key} is declared twice`);
      const optional = def.options.optional === true;
      if (!optional && plan.fields.some((f) => f.optional)) {
        throw new MessageDefinitionError("OPTIONAL_NOT_LAST", `${plan.name}.${def.key} follows an optional field: only trailing fields may be optional`);
      }
      plan.keys.add(def.key);
      plan.fields.push(resolveField(plan, def.key, def.type, def.options.encoding ?? classEncoding, optional));
    }
  }

  const fields = plan.fields;
  const name = plan.name;
  const fail = (e: unknown, i: number, decoding: boolean): never => {
    const f = fields[i]!;
    if (e instanceof TypedMessageError) {
      // A nested class failed: extend its field path and keep the original cause.
      const path = e.field ? `${f.key}.${e.field}` : f.key;
      throw new TypedMessageError(e.code, name, path, `could not ${decoding ? "decode" : "encode"} ${f.label} (${e.message})`, {
        cause: e.cause ?? e,
        offset: e.offset,
      });
    }
    const reason = e instanceof Error ? e.message : String(e);
    throw new TypedMessageError(decoding ? "DECODE_FAILED" : "ENCODE_FAILED", name, f.key, `could not ${decoding ? "decode" : "encode"} ${f.label}: ${reason}`, {
      cause: e,
    });
  };

  let fns: { write: WriteFn; read: ReadFn } | undefined;
  let mode: MessagePlan["mode"] = "closures";
  if (useCodegen) {
    try {
      fns = generate(fields, fail);
      mode = "codegen";
    } catch (e) {
      if (!(e instanceof EvalError)) throw e; // code generation forbidden (CSP): use closures
    }
  }
  fns ??= interpret(fields, fail);
  (plan as { mode: MessagePlan["mode"] }).mode = mode;
  (plan as { write: WriteFn }).write = fns.write;
  (plan as { read: ReadFn }).read = fns.read;
}

/** Byte size of the fixed-size primitives, by writer/reader method suffix. */
const FIXED_SIZE: Record<string, number> = {
  Boolean: 1, Byte: 1, SByte: 1, Int16: 2, UInt16: 2, Int32: 4, UInt32: 4, Int64: 8, UInt64: 8, Single: 4, Double: 8,
};

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const TWO_32 = 4294967296;

const utf16Decoder = new TextDecoder("utf-16le", { ignoreBOM: true });

// Generated reads take floats and 64-bit integers through this 8-byte scratch: copying the bytes
// costs far less than a DataView per reader (which is only made for long arrays).
const scratch = new Uint8Array(8);
const scratchView = new DataView(scratch.buffer);

function copy4(b: Uint8Array, p: number): void {
  const s = scratch;
  s[0] = b[p]!;
  s[1] = b[p + 1]!;
  s[2] = b[p + 2]!;
  s[3] = b[p + 3]!;
}

function copy8(b: Uint8Array, p: number): void {
  const s = scratch;
  s[0] = b[p]!;
  s[1] = b[p + 1]!;
  s[2] = b[p + 2]!;
  s[3] = b[p + 3]!;
  s[4] = b[p + 4]!;
  s[5] = b[p + 5]!;
  s[6] = b[p + 6]!;
  s[7] = b[p + 7]!;
}

// BigInt stores: one BigInt64Array store and two uint32 stores cost a quarter of DataView.setBigInt64
// (V8 11 does not inline the latter). The halves are read in host byte order.
const big = new BigInt64Array(1);
const bigView = new DataView(big.buffer);
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const BIG_HI = HOST_LE ? 4 : 0;
const BIG_LO = HOST_LE ? 0 : 4;

/** Float and 64-bit arrays of at least this many elements are read through the reader's DataView. */
const VIEW_MIN_ELEMENTS = 8;

const show = (v: unknown): string => (typeof v === "bigint" ? `${v}n` : typeof v === "string" ? JSON.stringify(v) : String(v));

/** Checks and stores the generated code of fixed-size runs shares (same rules and messages as DarkRiftWriter). */
const at = (index?: number): string => (index === undefined ? "" : ` at index ${index}`);
const fixed = {
  bad: (type: string, v: unknown, index?: number): DarkRiftEncodeError => new DarkRiftEncodeError("BAD_VALUE", `${show(v)}${at(index)} is not a valid ${type}`),
  range: (type: string, v: unknown, index?: number): DarkRiftEncodeError =>
    new DarkRiftEncodeError("OUT_OF_RANGE", `${show(v)}${at(index)} is not a valid ${type}`),
  changed: (type: string): DarkRiftEncodeError => new DarkRiftEncodeError("BAD_VALUE", `the ${type} array changed length while being written`),
  /** UTF-16LE decode with .NET's replacement behaviour (same as DarkRiftReader). */
  utf16(b: Uint8Array, start: number, end: number): string {
    if (end - start <= 64 && ((end - start) & 1) === 0) {
      let s = "";
      for (let p = start; p < end; p += 2) {
        const c = b[p]! | (b[p + 1]! << 8);
        if ((c & 0xf800) === 0xd800) return utf16Decoder.decode(b.subarray(start, end));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return utf16Decoder.decode(b.subarray(start, end));
  },

  check64(v: unknown, signed: boolean): void {
    const type = signed ? "Int64" : "UInt64";
    if (typeof v === "bigint") {
      if (signed ? v < INT64_MIN || v > INT64_MAX : v < 0n || v > UINT64_MAX) throw fixed.range(type, v);
    } else if (typeof v === "number") {
      if (!Number.isSafeInteger(v) || (!signed && v < 0)) throw fixed.range(type, v);
    } else {
      throw fixed.bad(type, v);
    }
  },
  f32(b: Uint8Array, p: number): number {
    copy4(b, p);
    return scratchView.getFloat32(0);
  },
  f64(b: Uint8Array, p: number): number {
    copy8(b, p);
    return scratchView.getFloat64(0);
  },
  i64(b: Uint8Array, p: number): bigint {
    copy8(b, p);
    return scratchView.getBigInt64(0);
  },
  u64(b: Uint8Array, p: number): bigint {
    copy8(b, p);
    return scratchView.getBigUint64(0);
  },
  /** Stores a range-checked int64 or uint64 `bigint` big-endian (the bits are the same either way). */
  big64(dv: DataView, p: number, v: bigint): void {
    big[0] = v;
    dv.setUint32(p, bigView.getUint32(BIG_HI, HOST_LE));
    dv.setUint32(p + 4, bigView.getUint32(BIG_LO, HOST_LE));
  },
  put64(dv: DataView, p: number, v: bigint | number): void {
    if (typeof v === "number") {
      const hi = Math.floor(v / TWO_32);
      dv.setInt32(p, hi);
      dv.setUint32(p + 4, v - hi * TWO_32);
    } else {
      fixed.big64(dv, p, v);
    }
  },
};

/** Generated check of value `v` of a fixed-size type (throws a DarkRiftEncodeError); `q` names an array index. */
function checkCode(method: string, v: string, q?: string): string {
  const ix = q === undefined ? "" : `,${q}`;
  const cond = (test: string, kind: "bad" | "range", type: string): string => `if(${test})throw x.${kind}("${type}",${v}${ix});`;
  switch (method) {
    case "Boolean": return cond(`typeof ${v}!=="boolean"`, "bad", "Boolean");
    case "Byte": return cond(`typeof ${v}!=="number"||(${v}&255)!==${v}`, "range", "Byte");
    case "SByte": return cond(`typeof ${v}!=="number"||(${v}<<24>>24)!==${v}`, "range", "SByte");
    case "Int16": return cond(`typeof ${v}!=="number"||(${v}<<16>>16)!==${v}`, "range", "Int16");
    case "UInt16": return cond(`typeof ${v}!=="number"||(${v}&65535)!==${v}`, "range", "UInt16");
    case "Int32": return cond(`typeof ${v}!=="number"||(${v}|0)!==${v}`, "range", "Int32");
    case "UInt32": return cond(`typeof ${v}!=="number"||(${v}>>>0)!==${v}`, "range", "UInt32");
    // bigint inline (the common case); numbers and wrong types in the helper.
    // asIntN/asUintN(64, v) === v is the range check, several times cheaper than two bigint comparisons.
    case "Int64": return `if(typeof ${v}==="bigint"){if(BigInt.asIntN(64,${v})!==${v})throw x.range("Int64",${v}${ix});}else x.check64(${v},true);`;
    case "UInt64": return `if(typeof ${v}==="bigint"){if(BigInt.asUintN(64,${v})!==${v})throw x.range("UInt64",${v}${ix});}else x.check64(${v},false);`;
    default: return cond(`typeof ${v}!=="number"`, "bad", method); // Single, Double
  }
}

/** Generated store of checked value `v` at `at` (an expression). */
function storeCode(method: string, v: string, at: string): string {
  switch (method) {
    case "Boolean": return `b[${at}]=${v}?1:0;`;
    case "Byte":
    case "SByte": return `b[${at}]=${v};`; // Uint8Array stores the low byte: two's complement for sbyte
    case "Int16": return `dv.setInt16(${at},${v});`;
    case "UInt16": return `dv.setUint16(${at},${v});`;
    case "Int32": return `dv.setInt32(${at},${v});`;
    case "UInt32": return `dv.setUint32(${at},${v});`;
    case "Int64":
    case "UInt64": return `if(typeof ${v}==="bigint")x.big64(dv,${at},${v});else x.put64(dv,${at},${v});`;
    // NaN as .NET writes it (JS would write 7fc00000 / 7ff8000000000000).
    case "Single": return `if(${v}!==${v})dv.setUint32(${at},0xffc00000);else dv.setFloat32(${at},${v});`;
    default: return `if(${v}!==${v}){dv.setUint32(${at},0xfff80000);dv.setUint32(${at}+4,0);}else dv.setFloat64(${at},${v});`;
  }
}

/**
 * Generated load of a fixed-size value at `at` (an expression) straight from the bytes `b`:
 * integers are assembled big-endian (measured as fast as a DataView), floats and 64-bit integers go
 * through the shared scratch (measured faster than a DataView per message, even for 8 such fields).
 */
function loadCode(method: string, at: string): string {
  const q = (k: number): string => (k === 0 ? `b[${at}]` : `b[${at}+${k}]`);
  switch (method) {
    case "Boolean": return `${q(0)}===1`; // as in C#: only 01 is true
    case "Byte": return q(0);
    case "SByte": return `(${q(0)}<<24>>24)`;
    case "Int16": return `(${q(0)}<<24>>16|${q(1)})`;
    case "UInt16": return `(${q(0)}<<8|${q(1)})`;
    case "Int32": return `(${q(0)}<<24|${q(1)}<<16|${q(2)}<<8|${q(3)})`;
    case "UInt32": return `((${q(0)}<<24|${q(1)}<<16|${q(2)}<<8|${q(3)})>>>0)`;
    case "Int64": return `x.i64(b,${at})`;
    case "UInt64": return `x.u64(b,${at})`;
    case "Single": return `x.f32(b,${at})`;
    default: return `x.f64(b,${at})`;
  }
}

/** DataView getters of the float / 64-bit types, for long arrays read through the reader's DataView. */
const VIEW_GETTER: Record<string, string> = { Single: "getFloat32", Double: "getFloat64", Int64: "getBigInt64", UInt64: "getBigUint64" };

const isFixed = (f: FieldPlan): boolean => f.kind === "primitive" && !f.optional && Object.hasOwn(FIXED_SIZE, f.method!);

/** Element size of the numeric arrays the fast path writes inline, by method suffix of the array. */
const INLINE_ARRAY: Record<string, string> = { SBytes: "SByte", Int16s: "Int16", UInt16s: "UInt16", Int32s: "Int32", UInt32s: "UInt32", Singles: "Single", Doubles: "Double" };

/** Generated: `n` = the length of array-like `v`, or a DarkRiftEncodeError. */
const lenCode = (v: string, n: string, type: string): string =>
  `if(typeof ${v}!=="object"||${v}===null)throw x.bad("${type} array",${v});var ${n}=${v}.length;if(!(${n}>=0&&${n}<=0x7fffffff))throw x.bad("${type} array",${v});`;

type WriteClass = "fixed" | "text16" | "array" | "bools" | "other";

/** How the fast write path treats a field; textual fields without an encoding count as UTF-16LE (guarded at run time). */
function writeClass(f: FieldPlan): WriteClass {
  if (f.kind !== "primitive") return "other";
  const m = f.method!;
  if (Object.hasOwn(FIXED_SIZE, m)) return "fixed";
  if ((m === "String" || m === "Char" || m === "Chars") && (f.encoding === undefined || f.encoding === "utf16le")) return "text16";
  if (Object.hasOwn(INLINE_ARRAY, m)) return "array";
  if (m === "Booleans") return "bools";
  return "other";
}

/**
 * The body of a write function that validates and measures each maximal segment of inlineable
 * fields, reserves the segment's bytes once and stores them through the DataView — what a
 * hand-written encoder does. Other fields (other encodings, byte[], string[], 64-bit arrays,
 * nested classes) are written through the writer's methods, as in the generic body.
 */
function fastWriteBody(fields: readonly FieldPlan[], otherField: (f: FieldPlan, i: number) => string): { body: string; locate: string } {
  let out = "";
  // The inline checks do not track the field index `i` (a store per field): a segment sets i=-1 and,
  // should one of them throw, `locate` re-runs the same checks with tracking to name the field.
  let locate = "";
  for (let i = 0; i < fields.length; ) {
    if (writeClass(fields[i]!) === "other") {
      out += otherField(fields[i]!, i);
      i++;
      continue;
    }
    let end = i;
    while (end < fields.length && writeClass(fields[end]!) !== "other") end++;
    let check = "";
    let store = "";
    let constSize = 0;
    let dynSize = "";
    let off = 0; // constant offset from p since the last variable-size store
    const flush = (): void => {
      if (off) store += `p+=${off};`;
      off = 0;
    };
    for (let j = i; j < end; j++) {
      const f = fields[j]!;
      const m = f.method!;
      const v = `v${j}`;
      const from = check.length;
      check += `var ${v}=o[${JSON.stringify(f.key)}];`;
      switch (writeClass(f)) {
        case "fixed":
          check += checkCode(m, v);
          store += storeCode(m, v, `p+${off}`);
          off += FIXED_SIZE[m]!;
          constSize += FIXED_SIZE[m]!;
          break;
        case "text16":
          check +=
            m === "Char"
              ? `if(typeof ${v}!=="string"||${v}.length!==1)throw x.bad("Char (a string of one UTF-16 code unit)",${v});`
              : `if(typeof ${v}!=="string")throw x.bad("String",${v});`;
          constSize += 4;
          dynSize += `+2*${v}.length`;
          flush();
          // UTF-16LE: always 2 bytes per code unit (a lone surrogate becomes U+FFFD, as in .NET).
          store +=
            `var n=${v}.length;dv.setInt32(p,2*n);p+=4;` +
            `for(var q=0;q<n;q++,p+=2){var c=${v}.charCodeAt(q);if((c&0xf800)===0xd800){var d=c<=0xdbff&&q+1<n?${v}.charCodeAt(q+1):0;` +
            `if((d&0xfc00)===0xdc00){dv.setUint16(p,c,true);p+=2;c=d;q++;}else c=0xfffd;}dv.setUint16(p,c,true);}\n`;
          break;
        case "array": {
          const el = INLINE_ARRAY[m]!;
          const size = FIXED_SIZE[el]!;
          check += lenCode(v, `n${j}`, el);
          constSize += 4;
          dynSize += `+${size}*n${j}`;
          flush();
          // The loop runs to `v.length`, as a hand-written loop does, so V8 needs no separate bounds
          // check; a length that changed on the way (only user code in accessors can do that; stores
          // past the reserved bytes stay beyond the writer's length or hit the end of its buffer) is
          // an error after the loop.
          store +=
            `dv.setInt32(p,n${j});p+=4;i=${j};for(var q=0;q<${v}.length;q++){var e=${v}[q];${checkCode(el, "e", "q")}${storeCode(el, "e", "p")}p+=${size};}` +
            `if(q!==n${j})throw x.changed("${el}");i=-1;\n`;
          break;
        }
        case "bools":
          check += lenCode(v, `n${j}`, "Boolean");
          constSize += 4;
          dynSize += `+((n${j}+7)>>>3)`;
          flush();
          store +=
            `dv.setInt32(p,n${j});p+=4;var acc=0;for(var q=0;q<n${j};q++){var e=${v}[q];if(e===true)acc|=0x80>>>(q&7);` +
            `else if(e!==false){i=${j};throw x.bad("Boolean",e,q);}if((q&7)===7){b[p++]=acc;acc=0;}}if(n${j}&7)b[p++]=acc;` +
            `if(${v}.length!==n${j}){i=${j};throw x.changed("Boolean");}\n`;
          break;
      }
      check += "\n";
      locate += `i=${j};${check.slice(from)}`;
    }
    flush();
    out += `i=-1;${check}var p=w.reserve(${constSize}${dynSize}),dv=w.dataView,b=w.buffer;\n${store}\n`;
    i = end;
  }
  return { body: out, locate };
}

/**
 * The body of a read function that decodes inlineable fields straight from the reader's bytes
 * with one bounds check per fixed-size run, string or array. It returns false (position restored)
 * at the first anomaly, and the caller then runs the generic body, which raises the exact error.
 * Other fields are read through the reader's methods.
 */
function fastReadBody(fields: readonly FieldPlan[], otherField: (i: number) => string): string {
  const BAIL = "{r.position=start;return false;}";
  let out = "var start=r.position,end=r.length,b=r.bytes,p=start;\n";
  for (let i = 0; i < fields.length; ) {
    const f = fields[i]!;
    const cls = writeClass(f);
    if (cls === "fixed" && !f.optional) {
      let end = i;
      let size = 0;
      let loads = "";
      while (end < fields.length && writeClass(fields[end]!) === "fixed" && !fields[end]!.optional) {
        const g = fields[end]!;
        loads += `o[${JSON.stringify(g.key)}]=${loadCode(g.method!, `p+${size}`)};`;
        size += FIXED_SIZE[g.method!]!;
        end++;
      }
      out += `if(p+${size}>end)${BAIL}\n${loads}\np+=${size};\n`;
      i = end;
      continue;
    }
    const k = JSON.stringify(f.key);
    const m = f.method;
    let code: string;
    switch (cls) {
      case "fixed":
        code = `if(p+${FIXED_SIZE[m!]}>end)${BAIL}o[${k}]=${loadCode(m!, "p")};p+=${FIXED_SIZE[m!]};`;
        break;
      case "text16":
        code =
          `if(p+4>end)${BAIL}var n=${loadCode("Int32", "p")};if(n<0||n>end-p-4)${BAIL}p+=4;var s=x.utf16(b,p,p+n);` +
          `${m === "Char" ? `if(s.length!==1)${BAIL}` : ""}o[${k}]=s;p+=n;`;
        break;
      case "array": {
        const el = INLINE_ARRAY[m!]!;
        const size = FIXED_SIZE[el]!;
        code = `if(p+4>end)${BAIL}var n=${loadCode("Int32", "p")};if(n<0||n*${size}>end-p-4)${BAIL}p+=4;var a=new Array(n);`;
        // Integers straight from the bytes; long float arrays through a DataView.
        code += Object.hasOwn(VIEW_GETTER, el)
          ? `if(n>=${VIEW_MIN_ELEMENTS}){var dv=r.dataView;for(var q=0;q<n;q++,p+=${size})a[q]=dv.${VIEW_GETTER[el]}(p);}` +
            `else for(var q=0;q<n;q++,p+=${size})a[q]=${loadCode(el, "p")};o[${k}]=a;`
          : `for(var q=0;q<n;q++,p+=${size})a[q]=${loadCode(el, "p")};o[${k}]=a;`;
        break;
      }
      case "bools":
        code =
          `if(p+4>end)${BAIL}var n=${loadCode("Int32", "p")},sz=(n+7)>>>3;if(n<0||sz>end-p-4)${BAIL}p+=4;` +
          `var a=new Array(n);for(var q=0;q<n;q++)a[q]=(b[p+(q>>>3)]&(0x80>>>(q&7)))!==0;p+=sz;o[${k}]=a;`;
        break;
      default:
        // Through the reader (its errors are exact): sync the position both ways.
        out += `r.position=p;${otherField(i)}p=r.position;\n`;
        i++;
        continue;
    }
    // A trailing optional field keeps its default when no bytes remain.
    out += f.optional ? `if(p<end){${code}}\n` : `${code}\n`;
    i++;
  }
  return `${out}r.position=p;return true;\n`;
}

/**
 * Builds a specialised write and read function for the fields (field names are embedded as JSON
 * strings). Runs of two or more consecutive fixed-size fields are checked first, then stored with
 * one capacity reservation and direct DataView access, like hand-written code; reading such a run
 * takes one bounds check (falling back to per-field reads, for an exact error, when it fails).
 */
function generate(fields: readonly FieldPlan[], fail: (e: unknown, i: number, decoding: boolean) => never): { write: WriteFn; read: ReadFn } {
  const nested: unknown[] = [];
  let prelude = "";
  let ws = "";
  let rs = "";
  const otherWrite = new Map<number, string>(); // per-field write code, reused by the fast body
  const otherRead = new Map<number, string>(); // per-field read code, reused by the fast body
  const slowRead = (f: FieldPlan, i: number): string => {
    const enc = f.encoding === undefined ? "" : JSON.stringify(f.encoding);
    return `i=${i};${f.optional ? "if(r.remaining>0)" : ""}o[${JSON.stringify(f.key)}]=r.read${f.method}(${enc});\n`;
  };
  for (let i = 0; i < fields.length; ) {
    // A run of fixed-size fields?
    let end = i;
    while (end < fields.length && isFixed(fields[end]!)) end++;
    if (end - i >= 2) {
      let size = 0;
      let stores = "";
      let loads = "";
      let slow = "";
      for (let j = i; j < end; j++) {
        const f = fields[j]!;
        const k = JSON.stringify(f.key);
        ws += `i=${j};var v${j}=o[${k}];${checkCode(f.method!, `v${j}`)}\n`;
        stores += storeCode(f.method!, `v${j}`, `p+${size}`);
        loads += `o[${k}]=${loadCode(f.method!, `p+${size}`)};\n`;
        slow += slowRead(f, j);
        size += FIXED_SIZE[f.method!]!;
      }
      ws += `var p=w.reserve(${size}),dv=w.dataView,b=w.buffer;\n${stores}\n`;
      rs += `if(r.remaining>=${size}){var p=r.take(${size}),b=r.bytes;\n${loads}}else{\n${slow}}\n`;
      i = end;
      continue;
    }
    const f = fields[i]!;
    const k = JSON.stringify(f.key);
    if (f.kind === "primitive") {
      const enc = f.encoding === undefined ? "" : JSON.stringify(f.encoding);
      const code = `i=${i};w.write${f.method}(o[${k}]${enc ? `,${enc}` : ""});\n`;
      otherWrite.set(i, code);
      ws += code;
      otherRead.set(i, slowRead(f, i));
      rs += slowRead(f, i);
      i++;
      continue;
    }
    const readCode =
      `i=${i};${f.optional ? "if(r.remaining>0)" : ""}` +
      `o[${k}]=r.${f.kind === "typed" || f.kind === "foreign" ? "readSerializable" : "readSerializables"}(C${i});\n`;
    otherRead.set(i, readCode);
    rs += readCode;
    prelude += `var C${i}=nested[${nested.length}];`;
    nested.push(f.cls);
    let code: string;
    if (f.kind === "typed" || f.kind === "typedArray") {
      prelude += `var P${i}=planOf(C${i});`;
      code = `i=${i};h.${f.kind === "typed" ? "writeTyped" : "writeTypedArray"}(w,P${i},o[${k}]);\n`;
    } else {
      code = `i=${i};h.${f.kind === "foreign" ? "writeForeign" : "writeForeignArray"}(w,C${i},o[${k}]);\n`;
    }
    otherWrite.set(i, code);
    ws += code;
    i++;
  }
  // The fast body treats textual fields without an encoding as UTF-16LE: guard on the writer's.
  const guarded = fields.some((f) => writeClass(f) === "text16" && f.encoding === undefined);
  const fast = fastWriteBody(fields, (_f, i) => otherWrite.get(i)!);
  const fastRead = fastReadBody(fields, (i) => otherRead.get(i)!);
  const source =
    `"use strict";${prelude}\n` +
    `function generic(w,o){var i=0;try{\n${ws}}catch(e){fail(e,i,false);}}\n` +
    `function fast(w,o){var i=0;try{\n${fast.body}}catch(e){fail(e,i<0?locate(o):i,false);}}\n` +
    `function locate(o){var i=0;try{\n${fast.locate}}catch(e){return i;}return 0;}\n` +
    `function genericRead(r,o){var i=0;try{\n${rs}}catch(e){fail(e,i,true);}}\n` +
    `function fastRead(r,o){var i=0;try{\n${fastRead}}catch(e){fail(e,i,true);}}\n` +
    `return {write:${guarded ? `function write(w,o){if(w.encoding==="utf16le")fast(w,o);else generic(w,o);}` : "fast"},\n` +
    `read:function read(r,o){if(${guarded ? `r.encoding!=="utf16le"||` : ""}!fastRead(r,o))genericRead(r,o);}};`;
  // Nested plans are looked up lazily (a plan may refer to itself or to a class compiled later).
  const lazyPlanOf = (c: Function): MessagePlan => {
    let resolved: MessagePlan | undefined;
    return {
      get cls() { return c; },
      get name() { return c.name; },
      get fields() { return (resolved ??= planOf(c)).fields; },
      get keys() { return (resolved ??= planOf(c)).keys; },
      get mode() { return (resolved ??= planOf(c)).mode; },
      get epoch() { return (resolved ??= planOf(c)).epoch; },
      write: (w, o) => (resolved ??= planOf(c)).write(w, o),
      read: (r, o) => (resolved ??= planOf(c)).read(r, o),
    };
  };
  const factory = new Function("fail", "h", "x", "nested", "planOf", source) as (...args: unknown[]) => { write: WriteFn; read: ReadFn };
  return factory(fail, helpers, fixed, nested, lazyPlanOf);
}

/** The same behaviour as {@link generate}, as a table of closures (no code generation). */
function interpret(fields: readonly FieldPlan[], fail: (e: unknown, i: number, decoding: boolean) => never): { write: WriteFn; read: ReadFn } {
  const writers: WriteFn[] = [];
  const readers: ReadFn[] = [];
  for (const f of fields) {
    const k = f.key;
    if (f.kind === "primitive") {
      const wm = `write${f.method!}`;
      const rm = `read${f.method!}`;
      const enc = f.encoding;
      type Dyn = Record<string, (...args: unknown[]) => unknown>;
      writers.push((w, o) => void (w as unknown as Dyn)[wm]!.call(w, o[k], enc));
      readers.push((r, o) => void (o[k] = (r as unknown as Dyn)[rm]!.call(r, enc)));
    } else {
      const cls = f.cls!;
      let plan: MessagePlan | undefined;
      if (f.kind === "typed") writers.push((w, o) => helpers.writeTyped(w, (plan ??= planOf(cls)), o[k]));
      else if (f.kind === "typedArray") writers.push((w, o) => helpers.writeTypedArray(w, (plan ??= planOf(cls)), o[k]));
      else if (f.kind === "foreign") writers.push((w, o) => helpers.writeForeign(w, cls, o[k]));
      else writers.push((w, o) => helpers.writeForeignArray(w, cls, o[k]));
      if (f.kind === "typed" || f.kind === "foreign") readers.push((r, o) => void (o[k] = r.readSerializable(cls)));
      else readers.push((r, o) => void (o[k] = r.readSerializables(cls)));
    }
  }
  const n = fields.length;
  return {
    write(w, o) {
      let i = 0;
      try {
        for (; i < n; i++) writers[i]!(w, o);
      } catch (e) {
        fail(e, i, false);
      }
    },
    read(r, o) {
      let i = 0;
      try {
        for (; i < n; i++) {
          if (fields[i]!.optional && r.remaining === 0) continue;
          readers[i]!(r, o);
        }
      } catch (e) {
        fail(e, i, true);
      }
    },
  };
}
