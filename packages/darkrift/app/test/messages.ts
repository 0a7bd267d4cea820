// The choose-a-number messages of the C# samples, shared by the app tests.
import { field, message, TypedMessage } from "../src/index.js";

@message(1)
export class ChooseMessage extends TypedMessage {
  @field("int32[]") items: number[] = [];
}

@message(2)
export class ChosenMessage extends TypedMessage {
  @field("int32") value = 0;
}
