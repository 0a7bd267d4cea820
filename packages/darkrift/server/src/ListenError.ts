import { DarkRiftError } from "@darkrift/core";

/** Codes of {@link ListenError}. */
export type ListenErrorCode =
  /** The port is taken (EADDRINUSE). */
  | "ADDRESS_IN_USE"
  /** The OS refused the port (EACCES: a port below 1024 without privileges). */
  | "PERMISSION_DENIED"
  /** The host is not an address of this machine (EADDRNOTAVAIL) or does not resolve. */
  | "BAD_ADDRESS"
  /** Any other bind failure (`cause` holds the OS error). */
  | "LISTEN_FAILED";

/**
 * `serve()` could not bind one of its two sockets. `transport` says which (DarkRift listens on a
 * TCP and a UDP port), `address` / `port` where; `cause` is the OS error.
 */
export class ListenError extends DarkRiftError {
  declare readonly code: ListenErrorCode;
  /** The socket that failed: `"tcp"` or `"udp"` (`undefined` when the host did not resolve). */
  readonly transport: "tcp" | "udp" | undefined;
  /** The address that was asked for. */
  readonly address: string;
  /** The port that was asked for (0 = any). */
  readonly port: number;

  constructor(code: ListenErrorCode, message: string, where: { transport?: "tcp" | "udp"; address: string; port: number }, options?: { cause?: unknown }) {
    super(code, message, options);
    this.transport = where.transport;
    this.address = where.address;
    this.port = where.port;
  }
}

const endpoint = (address: string, port: number): string => (address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`);

/** Turns a bind failure into a {@link ListenError} that says which socket and what to do. */
export function listenError(transport: "tcp" | "udp", address: string, port: number, error: unknown): ListenError {
  const errno = (error as { code?: unknown } | null)?.code;
  const name = transport.toUpperCase();
  const where = { transport, address, port };
  const at = endpoint(address, port);
  switch (errno) {
    case "EADDRINUSE":
      return new ListenError(
        "ADDRESS_IN_USE",
        `the ${name} port ${at} is already in use (EADDRINUSE): another process (perhaps another DarkRift server) holds it. ` +
          `DarkRift needs a free TCP port and a free UDP port; pass other ports to serve(), or 0 for ephemeral ones` +
          (transport === "udp" ? ` (the UDP port defaults to the TCP port number: give udpPort to choose another)` : ""),
        where,
        { cause: error },
      );
    case "EACCES":
      return new ListenError("PERMISSION_DENIED", `no permission to bind the ${name} port ${at} (EACCES): ports below 1024 need privileges`, where, {
        cause: error,
      });
    case "EADDRNOTAVAIL":
      return new ListenError("BAD_ADDRESS", `cannot bind the ${name} port ${at} (EADDRNOTAVAIL): ${address} is not an address of this machine`, where, {
        cause: error,
      });
    default: {
      const detail = error instanceof Error ? error.message : String(error);
      return new ListenError("LISTEN_FAILED", `could not bind the ${name} port ${at}: ${detail}`, where, { cause: error });
    }
  }
}
