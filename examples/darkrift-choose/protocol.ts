// The two messages of the choose-number scenario, shared by server.ts and client.ts.

/** Client → server: an int32[] of candidates. */
export const CHOOSE_TAG = 1;
/** Server → client: one int32, the chosen candidate. */
export const CHOSEN_TAG = 2;
