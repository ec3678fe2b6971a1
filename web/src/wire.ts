/**
 * A server record as its JSON answer carries it (dates as ISO strings), so pages type an answer with the
 * server's own interface instead of a copy of it: `Wire<GrantView>`.
 */
export type Wire<T> = T extends Date ? string
  : T extends readonly (infer U)[] ? Wire<U>[]
  : T extends object ? { [K in keyof T]: Wire<T[K]> }
  : T;
