/** Payloads shared by several suites, so their figures describe the same data. */
import { SFS, SFSObject } from "@sfs2x/core";

/** A typical game update: 11 keys (ints, a name, a timestamp LONG, a bool, 16 doubles, a nested object). */
export function gamePayload(): SFSObject {
  return SFSObject.from({
    id: SFS.int(48213),
    name: "player_4821",
    ts: SFS.long(1_732_284_000_123),
    alive: true,
    hp: SFS.short(87),
    lvl: SFS.byte(12),
    score: SFS.int(991_245),
    room: SFS.int(3),
    dir: SFS.float(1.25),
    pos: SFS.doubleArray(Array.from({ length: 16 }, (_, i) => i * 1.5 + 0.25)),
    stats: { str: SFS.int(17), dex: SFS.int(23), guild: "north" },
  });
}
