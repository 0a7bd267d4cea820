import forge from "node-forge";
import { SFSObject } from "@sfs2x/core";
import { encodePacket, type CloseInfo, type CodecOptions, type Message, type TransportConnection } from "@sfs2x/protocol";

/** A message whose params hold `i` (INT) and an optional string `s`. */
export function msg(i: number, s?: string, action = 13): Message {
  const p = new SFSObject();
  p.putInt("i", i);
  if (s !== undefined) p.putUtfString("s", s);
  return { controller: 1, action, params: p };
}

/** Collects the messages of a connection; `next(n)` waits for the n-th. */
export function collect(conn: TransportConnection): { messages: Message[]; next: (count?: number) => Promise<Message[]> } {
  const messages: Message[] = [];
  let waiter: { count: number; resolve: (m: Message[]) => void } | undefined;
  conn.onMessage((m) => {
    messages.push(m);
    if (waiter && messages.length >= waiter.count) {
      const w = waiter;
      waiter = undefined;
      w.resolve(messages.slice(0, w.count));
    }
  });
  return {
    messages,
    next: (count = messages.length + 1) =>
      messages.length >= count ? Promise.resolve(messages.slice(0, count)) : new Promise((resolve) => (waiter = { count, resolve })),
  };
}

/** Resolves with the close info of a connection. */
export function closed(conn: TransportConnection): Promise<CloseInfo> {
  return new Promise((resolve) => conn.onClose(resolve));
}

/** The packet of a message, as a standalone copy. */
export const packet = (m: Message, options?: CodecOptions): Uint8Array => encodePacket(m, options).slice();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every few ms (the test timeout stops a stuck wait). */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await sleep(5);
}

/** A self-signed certificate for `localhost` / 127.0.0.1, made with node-forge. */
export function selfSignedCert(): { key: string; cert: string } {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = "01" + forge.util.bytesToHex(forge.random.getBytesSync(8));
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const attrs = [{ name: "commonName", value: "localhost" }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: true },
    { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }] },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) };
}
