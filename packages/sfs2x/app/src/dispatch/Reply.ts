import type { Body } from "./toParams.js";

/** Where a reply goes, when it should differ from the request's defaults. */
export interface ReplyOptions {
  /** Extension command of the reply (default: the response model's bound command, else the request's). */
  command?: string;
  /** Room id `r` of an extension reply (default: the request's when it named a room, i.e. `r` ≥ 0). */
  roomId?: number;
  /** Action of a system reply (default: the request's). */
  action?: number;
  /** Controller of the reply (default: the request's). */
  controller?: number;
}

/**
 * A handler's reply with explicit routing: `return new Reply(model, { command: "pong" })`.
 * Returning (or throwing) a bare model or SFSObject is the same as a `Reply` without options.
 */
export class Reply {
  constructor(
    /** The reply's params: a model or an SFSObject. */
    readonly body: Body,
    readonly options: ReplyOptions = {},
  ) {}
}
