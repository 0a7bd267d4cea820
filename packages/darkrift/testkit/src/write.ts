import type { Socket } from "node:net";

/** Writes to a socket; resolves once the bytes are handed to the OS. */
export const write = (s: Socket, bytes: Uint8Array): Promise<void> =>
  new Promise((resolve, reject) => s.write(bytes, (e) => (e ? reject(e) : resolve())));
