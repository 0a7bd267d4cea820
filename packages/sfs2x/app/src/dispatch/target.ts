import { SFSObject } from "@sfs2x/core";
import type { Message } from "@sfs2x/protocol";
import { actionOf, commandOf, controllerOf } from "../model/binding.js";
import { SFSClientError, SFSClientErrorCode } from "../errors/SFSClientError.js";
import { extensionMessage } from "./extension.js";
import { checkBody, isModelInstance, toParams, type Body } from "./toParams.js";

/** Where a message goes: an extension command, or a controller/action pair. */
export interface SendOptions {
  /** Extension command (default: the model's bound `command`). */
  command?: string;
  /** Room id `r` of an extension message (omitted when undefined). */
  roomId?: number;
  /** Action (default: the model's bound `action`). */
  action?: number;
  /** Controller (default: the model's, else 0 for an action). */
  controller?: number;
}

/** True for a raw `{ controller, action, params: SFSObject }` message (not a model). */
export function isMessage(value: unknown): value is Message {
  if (value === null || typeof value !== "object" || isModelInstance(value)) return false;
  const m = value as Partial<Message>;
  return typeof m.controller === "number" && typeof m.action === "number" && m.params instanceof SFSObject;
}

/**
 * @internal The message for a body and options: a raw Message as is; otherwise an extension
 * message when a command is known (options, then the model class), else a system message when
 * an action is known. Throws `SFSClientError` `BAD_ARGUMENT` when neither is.
 */
export function toMessage(body: Body | Message, options: SendOptions = {}): Message {
  if (isMessage(body)) return body;
  checkBody(body, "send");
  const ctor = (body as { constructor?: unknown }).constructor;
  const command = options.command ?? (options.action === undefined ? commandOf(ctor) : undefined);
  if (command !== undefined) return extensionMessage(command, toParams(body), options.roomId);
  const action = options.action ?? actionOf(ctor);
  if (action === undefined) {
    throw new SFSClientError(
      SFSClientErrorCode.BAD_ARGUMENT,
      "no destination: give { command } or { action }, or bind the model class (static command / static action)",
    );
  }
  return { controller: options.controller ?? controllerOf(ctor) ?? 0, action, params: toParams(body) };
}
