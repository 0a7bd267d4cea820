import { SFSArray, SFSObject } from "@sfs2x/core";
import {
  ExtensionRequest,
  ExtensionResponse,
  bool,
  boolArray,
  byte,
  byteArray,
  command,
  double,
  doubleArray,
  float,
  floatArray,
  int,
  intArray,
  long,
  longArray,
  model,
  modelArray,
  sfsArray,
  sfsObject,
  short,
  shortArray,
  text,
  utfString,
  utfStringArray,
} from "../src/index.js";

@command("ping")
export class PingRequest extends ExtensionRequest {
  @int("n") n = 0;
  @utfString("msg", { optional: true }) msg?: string;
}

/** Reply of "ping": same command (no binding of its own). */
export class PongResponse extends ExtensionResponse {
  @int("n") n = 0;
  @bool("pong") pong = true;
}

export class Vec3 extends ExtensionResponse {
  @float("x") x = 0;
  @float("y") y = 0;
  @float("z") z = 0;
}

/** A response carrying every SFS type (client-side type checks). */
@command("types")
export class AllTypes extends ExtensionResponse {
  @bool("bool") bool = true;
  @byte("byte") byte = 200;
  @short("short") short = -1234;
  @int("int") int = 123456789;
  @long("long") long: number | bigint = 5_000_000_000;
  @float("float") float = 1.5;
  @double("double") double = 2.25;
  @utfString("utf") utf = "héllo 日本 😀";
  @text("text") text = "t".repeat(100);
  @boolArray("boolArr") boolArr = [true, false, true];
  @byteArray("byteArr") byteArr = new Uint8Array([1, 2, 250]);
  @shortArray("shortArr") shortArr = [1, -2, 300];
  @intArray("intArr") intArr = [7, -8, 100000];
  @longArray("longArr") longArr: (number | bigint)[] = [1, -5_000_000_000];
  @floatArray("floatArr") floatArr = [0.5, -1.25];
  @doubleArray("doubleArr") doubleArr = [1e-3, 12345.678];
  @utfStringArray("strArr") strArr = ["a", "b", "ç"];
  @sfsObject("obj") obj = new SFSObject().putInt("inner", 1);
  @sfsArray("arr") arr = new SFSArray().addUtfString("x").addInt(2);
  @model("pos", Vec3) pos = Object.assign(new Vec3(), { x: 1, y: 2, z: 3 });
  @modelArray("path", Vec3) path = [Object.assign(new Vec3(), { x: 4 }), Object.assign(new Vec3(), { y: 5 })];
}

/** A server-initiated push. */
@command("news")
export class NewsPush extends ExtensionResponse {
  @utfString("headline") headline = "";
  @int("seq") seq = 0;
}
