import { encodeKeyOf, resolveCodecOptions, type CodecOptions, type ResolvedCodecOptions } from "./CodecOptions.js";
import { encodeResolved } from "./encodePacket.js";
import type { Message } from "./Message.js";

/**
 * A message to send to many connections (a room broadcast): it is serialized once per distinct
 * set of codec options instead of once per connection. Connections with the same compression
 * threshold, level, size limits and no cipher (every WebSocket client after the same handshake)
 * share one packet; a connection with its own cipher key gets its own.
 *
 * ```ts
 * const update = new PreparedMessage({ controller: 1, action: 13, params });
 * for (const conn of room) conn.sendPrepared(update).catch(() => {}); // each failure also goes to conn.onError
 * ```
 *
 * The message must not change while the prepared message is in use: packets are encoded on
 * first request and reused. Encoding errors (e.g. `TOO_LARGE` for one connection's
 * `maxMessageSize`) are remembered too and reported to every connection of that option set.
 */
export class PreparedMessage {
  /** The message, as given. */
  readonly message: Message;
  private lastKey: string | undefined = undefined;
  private lastPacket: Uint8Array | Error | undefined = undefined;
  private others: Map<string, Uint8Array | Error> | undefined = undefined;

  constructor(message: Message) {
    this.message = message;
  }

  /** The packet for connections with these codec options (encoded on first request, then reused). */
  packetFor(options?: CodecOptions): Uint8Array {
    return this._packet(resolveCodecOptions(options));
  }

  /** Distinct option sets encoded so far. */
  get encodings(): number {
    return this.others?.size ?? (this.lastKey === undefined ? 0 : 1);
  }

  /** @internal The packet for resolved options; throws the (remembered) encoding error. */
  _packet(o: ResolvedCodecOptions): Uint8Array {
    const key = encodeKeyOf(o);
    let packet: Uint8Array | Error | undefined;
    if (key === this.lastKey) packet = this.lastPacket!;
    else {
      packet = this.others?.get(key);
      if (packet === undefined) {
        try {
          // Copied out of the encoder's shared slab: a prepared message may live long.
          packet = encodeResolved(this.message, o).slice();
        } catch (e) {
          packet = e instanceof Error ? e : new Error(String(e));
        }
        if (this.lastKey !== undefined) (this.others ??= new Map([[this.lastKey, this.lastPacket!]])).set(key, packet);
      }
      this.lastKey = key;
      this.lastPacket = packet;
    }
    if (packet instanceof Error) throw packet;
    return packet;
  }
}
