import {
  command,
  ExtensionRequest,
  ExtensionResponse,
  int,
  long,
  SFSClient,
  SFSError,
  SFSServer,
  utfString,
  type Logger,
} from "@sfs2x/app";
import { SFSErrorCode } from "@sfs2x/protocol";
import type { Log } from "./log.js";

/** The extension request: the client sends a number and the time it sent it. */
@command("ping")
export class PingRequest extends ExtensionRequest {
  @int("n") n = 0;
  @long("sentAt") sentAt = 0;
}

/** The reply: the number plus one, and who answered. */
@command("ping")
export class PongResponse extends ExtensionResponse {
  @int("n") n = 0;
  @utfString("by") by = "";
}

/** What the SFS2X part of the demo exchanged, for callers that check it (the demo's test). */
export interface Sfs2xTranscript {
  url: string;
  username: string;
  userId: number;
  pong: number;
  refusedWith: number | undefined;
  zoneAfterLogout: string;
}

const PASSWORDS = new Map([["ada", "lovelace"]]);

/**
 * Starts an SFS2X server on 127.0.0.1 (WebSocket, the official JS client's transport, and TCP),
 * with a login that checks passwords and an extension `ping`; then a client over each URL
 * connects, logs in, calls `ping` and logs out; a login with a wrong password is refused.
 */
export async function runSfs2xDemo(log: Log): Promise<Sfs2xTranscript[]> {
  const logger: Logger = {
    debug: () => {},
    info: (m) => log("server", m),
    warn: (m) => log("server", `warning: ${m}`),
    error: (m) => log("server", `error: ${m}`),
  };
  const server = new SFSServer(["ws://127.0.0.1:0", "tcp://127.0.0.1:0"], { zones: ["Demo"], logger });

  server.onLogin((request, ctx) => {
    const expected = PASSWORDS.get(request.username);
    // The client sends md5(session token + password); the session checks it against the plain one.
    if (expected === undefined || !ctx.session.checkPassword(expected, request.password)) {
      log("server", `login refused for "${request.username}"`);
      throw new SFSError(SFSErrorCode.LoginBadPassword, [request.username]);
    }
    log("server", `login of "${request.username}" in zone ${request.zone}`);
  });
  server.onExtension(PingRequest, (request, ctx) => {
    log("server", `← ping n=${request.n} from ${ctx.session.username}; → pong n=${request.n + 1}`);
    return Object.assign(new PongResponse(), { n: request.n + 1, by: "the demo server" });
  });

  await server.listen();
  const urls = server.addresses.map((a) => a.url);
  log("server", `listening on ${urls.join(" and ")}`);

  const transcripts: Sfs2xTranscript[] = [];
  try {
    for (const url of urls) {
      const client = new SFSClient(url, { zone: "Demo", requestTimeoutMs: 3000 });
      try {
        await client.connect(); // opens the socket; the first login() runs the handshake
        log("client", `connected to ${url}`);

        let refusedWith: number | undefined;
        try {
          await client.login({ username: "ada", password: "wrong" });
        } catch (error) {
          if (!(error instanceof SFSError)) throw error;
          refusedWith = error.code;
          log("client", `login refused as expected: error ${error.code} (${error.message})`);
        }

        const login = await client.login({ username: "ada", password: "lovelace" });
        log("client", `logged in as ${login.username}, user id ${login.userId}`);

        const pong = await client.request(Object.assign(new PingRequest(), { n: 41, sentAt: Date.now() }), PongResponse);
        log("client", `← pong n=${pong.n} from ${pong.by}`);

        const logout = await client.logout();
        log("client", `logged out of ${logout.zone}`);
        transcripts.push({ url, username: login.username, userId: login.userId, pong: pong.n, refusedWith, zoneAfterLogout: logout.zone });
      } finally {
        await client.close();
      }
      log("client", "closed");
    }
  } finally {
    await server.close();
    log("server", "closed");
  }
  return transcripts;
}
