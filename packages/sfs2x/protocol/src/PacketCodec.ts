import type { ByteWriter } from "@sfs2x/core";
import { CodecOptionsHolder, type CodecOptions } from "./CodecOptions.js";
import { decodeResolved } from "./decodePacket.js";
import { encodeResolved, encodeTo } from "./encodePacket.js";
import type { Message } from "./Message.js";
import type { PreparedMessage } from "./PreparedMessage.js";

/**
 * {@link encodePacket} and {@link decodePacket} with options that are validated and resolved once
 * (the cipher engine built once too), for code that encodes many packets with the same options:
 * a transport connection holds one. Same bytes, same errors as the functions.
 *
 * ```ts
 * const codec = new PacketCodec({ compressionThreshold: 2048 });
 * const bytes = codec.encode(message);
 * const back = codec.decode(bytes);
 * ```
 */
export class PacketCodec extends CodecOptionsHolder {
  /** Throws {@link PacketError} `BAD_OPTIONS` on invalid options. */
  constructor(options: CodecOptions = {}) {
    super(options);
  }

  /** {@link encodePacket} with these options: may be a view into a shared buffer, never rewritten. */
  encode(message: Message): Uint8Array {
    return encodeResolved(message, this.o);
  }

  /**
   * Appends the packet of `message` to `writer` and returns its length in bytes, without an
   * intermediate array (how the TCP transport fills its write batch). On failure (the errors of
   * {@link encodePacket}) the writer is left as it was.
   */
  encodeTo(writer: ByteWriter, message: Message): number {
    return encodeTo(writer, message, this.o);
  }

  /**
   * The packet of a {@link PreparedMessage} for these options: encoded once per distinct option
   * set and reused by every codec (connection) that shares it.
   */
  encodePrepared(prepared: PreparedMessage): Uint8Array {
    return prepared._packet(this.o);
  }

  /** {@link decodePacket} with these options: exactly one whole packet. */
  decode(bytes: Uint8Array): Message {
    return decodeResolved(bytes, this.o);
  }
}
