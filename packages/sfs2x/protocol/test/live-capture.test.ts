/**
 * Packets read from the sockets of a running SmartFoxServer 2X 2.17.0 (TCP and WebSocket).
 * Java writes keys in its own hash order (`p, a, c` at the root), so the check is on decoded
 * content and key order, not on re-encoded bytes.
 */
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PacketDecoder, decodePacket, encodePacket, inflatePayload, type Message } from "../src/index.js";
import { concat, fixture, fromHex, hex, stripKeyOrder, typed, type LivePacket, type TypedNode } from "./helpers.js";

const live = fixture<{ liveCapture: { packets: LivePacket[] } }>("real-server-live.json").liveCapture.packets;
const recorded = live.filter((p) => p.hex !== undefined);

/** Key order of every SFSObject in the capture annotations, compared with ours. */
function checkKeyOrder(node: TypedNode, ours: TypedNode): void {
  if (node.type === "SFS_OBJECT") {
    const value = node.value as Record<string, TypedNode>;
    if (node.keyOrder) expect(Object.keys(ours.value as object)).toEqual(node.keyOrder);
    for (const k of Object.keys(value)) checkKeyOrder(value[k]!, (ours.value as Record<string, TypedNode>)[k]!);
  } else if (node.type === "SFS_ARRAY") {
    (node.value as TypedNode[]).forEach((n, i) => checkKeyOrder(n, (ours.value as TypedNode[])[i]!));
  }
}

describe("live capture from SmartFoxServer 2X 2.17.0", () => {
  it("holds 52 entries, 48 of them with bytes", () => {
    expect(live).toHaveLength(52);
    expect(recorded).toHaveLength(48);
  });

  it.each(recorded.map((p) => [`${p.transport} ${p.connection} ${p.name}`, p] as const))("%s decodes to the recorded content", (_n, p) => {
    const bytes = fromHex(p.hex!);
    expect(bytes[0]).toBe(Number(p.headerByte));
    expect(bytes.length - (bytes[0]! & 0x08 ? 5 : 3)).toBe(p.size);
    const m = decodePacket(bytes);
    expect(m.controller).toBe(p.controller);
    expect(m.action).toBe(p.action);
    expect(p.controllerType).toBe("BYTE");
    expect(p.actionType).toBe("SHORT");
    expect(p.rootKeyOrder).toEqual(["p", "a", "c"]);
    const ours = typed(m.params);
    expect(ours).toEqual(stripKeyOrder(p.params!));
    checkKeyOrder(p.params!, ours);
    if (p.inflatedHex !== undefined) {
      expect(hex(inflatePayload(bytes.subarray(3), 1e7))).toBe(p.inflatedHex);
      expect(hex(inflateSync(bytes.subarray(3)))).toBe(p.inflatedHex);
    }
  });

  it("our re-encoding (root c, a, p) carries the same content", () => {
    for (const p of recorded) {
      const m = decodePacket(fromHex(p.hex!));
      const again = decodePacket(encodePacket(m));
      expect(typed(again.params)).toEqual(typed(m.params));
      expect([again.controller, again.action]).toEqual([m.controller, m.action]);
    }
  });

  // Each TCP connection's packets, back to back, as one stream: any chunking gives the same messages.
  const streams = ["A", "B"].map((c) => recorded.filter((p) => p.transport === "tcp" && p.connection === c));
  it.each(streams.map((s, i) => [["A", "B"][i]!, s] as const))("TCP connection %s as a stream, random chunkings", (_c, packets) => {
    const stream = concat(packets.map((p) => fromHex(p.hex!)));
    const expected = packets.map((p) => stripKeyOrder(p.params!));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const d = new PacketDecoder();
        const got: Message[] = [];
        let prev = 0;
        for (const p of [...points, stream.length]) {
          got.push(...d.push(stream.subarray(prev, p)));
          prev = p;
        }
        expect(got.map((m) => typed(m.params))).toEqual(expected);
        expect(d.bufferedBytes).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
