import { SFSObject } from "@sfs2x/core";
import type { ControllerId } from "./ControllerId.js";

/**
 * One SFS2X message: the root object `{ c: BYTE controller, a: SHORT action, p: SFS_OBJECT params }`
 * of a packet. Any object of this shape is accepted by the encoder; the decoder returns plain
 * objects of this shape.
 */
export interface Message {
  /** Root key `c`, a BYTE (0..255): {@link ControllerId}. */
  controller: ControllerId | number;
  /** Root key `a`, a SHORT (-32768..32767): a {@link SysAction} for the System controller. */
  action: number;
  /** Root key `p`. */
  params: SFSObject;
}

/** Builds a {@link Message}; `params` defaults to a new empty SFSObject. */
export function createMessage(controller: ControllerId | number, action: number, params: SFSObject = new SFSObject()): Message {
  return { controller, action, params };
}
