/** The root key `c`: which server-side controller handles a message (spec §3). */
export enum ControllerId {
  /** Built-in requests, responses and events ({@link SysAction}). */
  System = 0,
  /** Zone and room extensions: `a` is 13 (CallExtension) and `p` holds `c`, `p`, `r`. */
  Extension = 1,
}
