import { DarkRiftEncodeError, DarkRiftError } from "./DarkRiftError.js";
import { DarkRiftReader, type DarkRiftReaderOptions } from "./DarkRiftReader.js";
import { DarkRiftWriter } from "./DarkRiftWriter.js";
import { MessageFlags } from "./MessageFlags.js";

/** Options of the {@link DarkRiftMessage} constructor. */
export interface DarkRiftMessageOptions {
  /** Raw flags byte (see {@link MessageFlags}). Default 0 (a user message). */
  flags?: number;
  /** Ping code (uint16); only allowed when `flags & MessageFlags.Ping`. Default 0. */
  pingCode?: number;
}

const EMPTY = new Uint8Array(0);

function outOfRange(name: string, value: unknown, max: number): DarkRiftEncodeError {
  return new DarkRiftEncodeError("OUT_OF_RANGE", `${name} ${String(value)} is not an integer in 0..${max}`);
}

function toPayload(payload: Uint8Array | DarkRiftWriter | undefined): Uint8Array {
  if (payload === undefined) return EMPTY;
  // A writer is usually reused after the message is built (as in C#, where Message.Create copies it).
  if (payload instanceof DarkRiftWriter) return payload.toBytes().slice();
  if (payload instanceof Uint8Array) return payload;
  throw new DarkRiftEncodeError("BAD_VALUE", "a message payload must be a Uint8Array or a DarkRiftWriter");
}

function flagsOf(options: DarkRiftMessageOptions): number {
  const flags = options.flags ?? 0;
  if (typeof flags !== "number" || (flags & 0xff) !== flags) throw outOfRange("flags", flags, 0xff);
  return flags;
}

function pingCodeOf(options: DarkRiftMessageOptions): number {
  const code = options.pingCode ?? 0;
  if (typeof code !== "number" || (code & 0xffff) !== code) throw outOfRange("pingCode", code, 0xffff);
  if (code !== 0 && ((options.flags ?? 0) & MessageFlags.Ping) === 0) {
    throw new DarkRiftEncodeError("BAD_VALUE", "a ping code needs the Ping flag (0x40)");
  }
  return code;
}

/**
 * One DarkRift message: a uint16 tag, a payload (the bytes a {@link DarkRiftWriter} produced),
 * the raw flags byte and, for pings and their acknowledgements, a uint16 ping code. The wire
 * layout (flags, tag, ping code, payload) is encoded by `@darkrift/protocol`.
 *
 * ```ts
 * const w = new DarkRiftWriter();
 * w.writeInt32s([1, 2, 3]);
 * const msg = new DarkRiftMessage(1, w);
 * msg.getReader().readInt32s(); // [1, 2, 3]
 * ```
 */
export class DarkRiftMessage {
  // `declare`: the constructor assigns every field once (no define-then-assign per message).
  /** The message tag (uint16). For a command, the command code. */
  declare readonly tag: number;
  /**
   * The payload bytes. A `Uint8Array` passed to the constructor is kept as is (not copied);
   * a `DarkRiftWriter` is copied, so the writer may be reused.
   */
  declare readonly payload: Uint8Array;
  /** The raw flags byte: 0x80 command, 0x40 ping-family, 0x20 (with 0x40) acknowledgement. */
  declare readonly flags: number;
  /** The ping code (uint16); 0 unless `flags & 0x40`. */
  declare readonly pingCode: number;

  constructor(tag: number, payload?: Uint8Array | DarkRiftWriter, options?: DarkRiftMessageOptions) {
    // `(v & mask) === v` accepts exactly the integers 0..mask (no NaN, fractions, negatives or
    // non-numbers) and is far cheaper than Number.isInteger plus two comparisons. The constructor
    // runs per received message: it is kept small (errors and options in helpers) so V8 inlines it.
    if (typeof tag !== "number" || (tag & 0xffff) !== tag) throw outOfRange("tag", tag, 0xffff);
    this.tag = tag;
    this.payload = payload instanceof Uint8Array ? payload : toPayload(payload);
    this.flags = options === undefined ? 0 : flagsOf(options);
    this.pingCode = options === undefined ? 0 : pingCodeOf(options);
  }

  /** True for a ping: flags 0x40 without 0x20. */
  get isPing(): boolean {
    return (this.flags & 0x60) === 0x40;
  }

  /** True for a ping acknowledgement: flags 0x40 and 0x20. */
  get isPingAcknowledgement(): boolean {
    return (this.flags & 0x60) === 0x60;
  }

  /** True for an internal command message (flags 0x80). */
  get isCommand(): boolean {
    return (this.flags & MessageFlags.Command) !== 0;
  }

  /** The command code (the tag) of a command message; -1 when this is not a command. */
  get commandCode(): number {
    return this.isCommand ? this.tag : -1;
  }

  /** A fresh reader over the payload. */
  getReader(options?: DarkRiftReaderOptions): DarkRiftReader {
    return new DarkRiftReader(this.payload, options);
  }

  /**
   * A ping (flags 0x40) carrying `pingCode`, or a random uint16 code when omitted
   * (like C#'s `MakePingMessage`).
   */
  static ping(tag: number, payload?: Uint8Array | DarkRiftWriter, pingCode?: number): DarkRiftMessage {
    const code = pingCode ?? Math.floor(Math.random() * 0x10000);
    return new DarkRiftMessage(tag, payload, { flags: MessageFlags.Ping, pingCode: code });
  }

  /**
   * The acknowledgement of this ping (flags 0x60, same ping code), like C#'s
   * `MakePingAcknowledgementMessage`. Tag and payload default to this ping's (an echo).
   * Throws if this message is not a ping.
   */
  makePingAcknowledgement(tag: number = this.tag, payload: Uint8Array | DarkRiftWriter = this.payload): DarkRiftMessage {
    if (!this.isPing) throw new DarkRiftError("NOT_A_PING", "only a ping (flags 0x40) can be acknowledged");
    return new DarkRiftMessage(tag, payload, {
      flags: MessageFlags.Ping | MessageFlags.PingAcknowledgement,
      pingCode: this.pingCode,
    });
  }

  /** An internal command message (flags 0x80) whose tag is the command code. */
  static command(code: number, payload?: Uint8Array | DarkRiftWriter): DarkRiftMessage {
    return new DarkRiftMessage(code, payload, { flags: MessageFlags.Command });
  }

  toString(): string {
    const kind = this.isCommand ? "command" : this.isPingAcknowledgement ? "ping-ack" : this.isPing ? "ping" : "message";
    const code = this.flags & MessageFlags.Ping ? ` code=${this.pingCode}` : "";
    return `DarkRiftMessage(${kind} tag=${this.tag}${code} ${this.payload.length} bytes)`;
  }
}
