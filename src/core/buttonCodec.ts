/**
 * Typed callback data: `prefix:action:field:field…`, packed from typed values and unpacked with
 * validation, so a forged or stale button gives `null` (one polite "stale" popup) instead of a NaN
 * reaching the database. Written here rather than taken from a library: grammY's callback-data
 * helper is tied to grammY's context, and ours must stay channel-neutral and cap the packed length.
 */

/** Telegram's limit for callback data; channels with numbered choices keep the same data. */
export const MAX_BUTTON_DATA = 64;

export interface Field<T> {
  parse(s: string | undefined): T | undefined;
  format(v: T): string;
  /** Takes every remaining segment (text that may contain ':'); must be the last field. */
  rest?: boolean;
  /** A missing or empty segment is allowed and unpacks as `empty`. */
  optional?: boolean;
  empty?: T;
}

const ID = /^[1-9]\d{0,9}$/;

export const field = {
  /** A database id: 1…2^31-1. */
  id: {
    parse: (s) => (s !== undefined && ID.test(s) && Number(s) <= 2_147_483_647 ? Number(s) : undefined),
    format: (v) => String(v),
  } satisfies Field<number>,
  /** An integer within bounds (pages, hours). */
  int(min: number, max: number): Field<number> {
    return {
      parse: (s) => (s !== undefined && /^-?\d{1,10}$/.test(s) && Number(s) >= min && Number(s) <= max ? Number(s) : undefined),
      format: (v) => String(v),
    };
  },
  /** "1" or "0". */
  flag: { parse: (s) => (s === '1' ? true : s === '0' ? false : undefined), format: (v) => (v ? '1' : '0') } satisfies Field<boolean>,
  /** One of a fixed set of words. */
  oneOf<const V extends string>(...values: V[]): Field<V> {
    return { parse: (s) => ((values as string[]).includes(s ?? '\0') ? (s as V) : undefined), format: (v) => v };
  },
  /** A short token of [A-Za-z0-9_-] (role names, question ids). */
  word(max: number): Field<string> {
    const re = new RegExp(`^[A-Za-z0-9_-]{1,${max}}$`);
    return { parse: (s) => (s !== undefined && re.test(s) ? s : undefined), format: (v) => v };
  },
  /** Free text to the end of the data (a search query); may be empty. */
  rest(max: number): Field<string> {
    return { parse: (s) => (s !== undefined && s.length <= max ? s : undefined), format: (v) => v, rest: true, optional: true, empty: '' };
  },
  /** The field may be left out (at the end). */
  optional<T>(f: Field<T>): Field<T | undefined> {
    return {
      parse: (s) => f.parse(s),
      format: (v) => (v === undefined ? '' : f.format(v)),
      optional: true,
    };
  },
};

export type Fields = Record<string, Field<unknown>>;
type FieldValue<F> = F extends Field<infer T> ? T : never;
export type DataOf<F extends Fields> = { [K in keyof F]: FieldValue<F[K]> };

export type Pressed<A extends Record<string, Fields>> = { [K in keyof A & string]: { action: K; data: DataOf<A[K]> } }[keyof A & string];

export interface ButtonCodec<A extends Record<string, Fields>> {
  prefix: string;
  actions: (keyof A & string)[];
  pack<K extends keyof A & string>(action: K, data: DataOf<A[K]>): string;
  /** The arguments after the prefix (the router splits on ':'); null when stale or forged. */
  unpack(args: readonly string[]): Pressed<A> | null;
}

// A value that is not in the field's own set (a ':' in a word, say) must not be packed silently.
function check<T>(f: Field<T>, v: T, where: string): string {
  const s = f.format(v);
  if (!f.rest && (s.includes(':') || (s === '' ? !f.optional : f.parse(s) === undefined)))
    throw new Error(`button ${where}: bad value ${JSON.stringify(v)}`);
  return s;
}

export function defineButtons<const A extends Record<string, Fields>>(prefix: string, actions: A): ButtonCodec<A> {
  if (!/^[a-z]{1,8}$/.test(prefix)) throw new Error(`button prefix "${prefix}": lowercase letters only`);
  return {
    prefix,
    actions: Object.keys(actions) as (keyof A & string)[],
    pack(action, data) {
      const fields = actions[action]!;
      const parts = [
        prefix,
        action,
        ...Object.entries(fields).map(([k, f]) => check(f, (data as Record<string, unknown>)[k], `${prefix}:${action}.${k}`)),
      ];
      while (parts.length > 2 && parts.at(-1) === '') parts.pop();
      const packed = parts.join(':');
      if (Buffer.byteLength(packed) > MAX_BUTTON_DATA)
        throw new Error(`button ${prefix}:${action}: ${Buffer.byteLength(packed)} bytes > ${MAX_BUTTON_DATA}`);
      return packed;
    },
    unpack(args) {
      const [action, ...values] = args;
      if (action === undefined || !Object.hasOwn(actions, action)) return null;
      const fields = Object.entries(actions[action]!);
      const data: Record<string, unknown> = {};
      for (const [i, [k, f]] of fields.entries()) {
        const raw = f.rest ? (values.length > i ? values.slice(i).join(':') : undefined) : values[i];
        if (raw === undefined || raw === '') {
          if (!f.optional) return null;
          data[k] = f.empty;
          continue;
        }
        const v = f.parse(raw);
        if (v === undefined) return null;
        data[k] = v;
      }
      if (!fields.some(([, f]) => f.rest) && values.length > fields.length) return null;
      return { action, data } as Pressed<A>;
    },
  };
}
