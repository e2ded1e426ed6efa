/**
 * Problems and how they are shown: the one place that decides what a message may echo.
 *
 * - {@link Problem}: a path and a message; every checker of the library returns `Problem[]`.
 * - {@link formatProblems}: the one listing error text (`invalid <what> (N problems):` then one line per problem).
 * - {@link display}: how a value is shown, by {@link FieldKind}; secret-bearing fields are never shown.
 * - {@link fieldPath}: how a field name is shown in a path (crafted names cannot add lines or leak a pasted secret).
 * - {@link ProblemCollector}: records problems for known fields, strings, integers, booleans and enums.
 */

/** One problem found in an input: where, and what is wrong. */
export interface Problem {
  /** Path into the input, e.g. `buckets[2].name`. */
  readonly path: string;
  /** What is wrong, with the bad value (when {@link display} allows it) and the rule. */
  readonly message: string;
}

/**
 * What a field holds, which decides what a message may show of its value ({@link display}).
 */
export enum FieldKind {
  /** Kubernetes and S3 names, images, durations, quantities: shown (escaped, capped). */
  NAME = 'name',
  /**
   * Fields that name or identify a credential, or could receive one pasted by mistake: Secret names and keys,
   * tenant/client/object IDs, client-secret slot names, anything under `kes.auth`, free text. A string is never
   * shown, only its length; the empty or blank string is shown.
   */
  SECRET = 'secret',
  /** Enum, boolean and number fields: a word-like string (`RBAC`, `yes`, `1.5`) is shown, anything else hidden. */
  WORD = 'word',
  /** Date fields: a string made only of the characters of dates and times is shown, anything else hidden. */
  DATE = 'date',
}

/** At most this many characters of a string are shown in a message. */
export const SHOWN_MAX = 40;

/**
 * A value that is not plain data, as {@link snapshot} records it in place of the original (a RegExp, a Map, a
 * BigInt, a symbol, a value that threw when read, a cycle…): only its description is kept.
 */
export class Opaque {
  /** @param description what the value was, e.g. `a RegExp`; shown in messages */
  constructor(public readonly description: string) {
    Object.freeze(this);
  }
}

/** Characters escaped wherever text is shown: C0/C1 controls, DEL, line/paragraph separators, BOM, bidi controls. */
const UNSAFE_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` with every character that could break a line, hide text or reorder it written as `\uXXXX`; linear time.
 */
export function escapeText(text: string): string {
  return text.replace(UNSAFE_CHAR, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * URL user info: `user:password@` or `token@` in front of a host, after an optional `scheme://` (RFC 3986 §3.2.1
 * authority `userinfo@host`). Only characters that may appear in an authority are matched before the `@`, so an
 * image digest (`repo@sha256:…`, the `@` after a `/`) is not user info. Linear: one bounded character class.
 */
const USER_INFO = /(?:^|[\s"'(=,;<[{]|:\/\/)[^\s"'/?#@<>()[\]{}\\]+@(?!sha256:|sha384:|sha512:)[^\s"'/?#@]/;

/** {@link USER_INFO}, global, capturing what precedes the user info (kept) and the user info (replaced). */
const USER_INFO_G = /(^|[\s"'(=,;<[{]|:\/\/)[^\s"'/?#@<>()[\]{}\\]+@(?!sha256:|sha384:|sha512:)(?=[^\s"'/?#@])/g;

/**
 * An Entra ID client secret as the portal issues it: 3 characters, a digit, `Q~`, then 31 to 34 characters of
 * `[A-Za-z0-9_.~-]` (the shape of current Microsoft Entra client secrets; an over-approximation on purpose).
 */
const ENTRA_CLIENT_SECRET = /[A-Za-z0-9_.~-]{3}[0-9]Q~[A-Za-z0-9_.~-]{10}/;

/**
 * Whether `value` may hold a credential and must never be shown, whatever its field: it has URL user info
 * (`user:pass@host`, `https://token@host/…`) or contains the shape of an Entra ID client secret. Linear time.
 */
export function looksLikeCredential(value: string): boolean {
  return USER_INFO.test(value) || ENTRA_CLIENT_SECRET.test(value);
}

/** What a message says in place of a value {@link looksLikeCredential} refuses to show. */
export function credentialHidden(value: string): string {
  return `a string of ${value.length} character${value.length === 1 ? '' : 's'} (value not shown: it looks like it holds a credential)`;
}

/**
 * A string as shown: JSON with unsafe characters escaped, at most {@link SHOWN_MAX} characters of it; a value that
 * {@link looksLikeCredential} is never shown, only its length.
 */
export function quote(value: string): string {
  if (looksLikeCredential(value)) {
    return credentialHidden(value);
  }
  return value.length > SHOWN_MAX
    ? `${escapeText(JSON.stringify(value.slice(0, SHOWN_MAX)))}... (${value.length} characters)`
    : escapeText(JSON.stringify(value));
}

/** A string that is not shown: only its length. */
export function hidden(value: string): string {
  return `a string of ${value.length} character${value.length === 1 ? '' : 's'} (value not shown)`;
}

/**
 * A value that is not a string, as shown: numbers, booleans, `null`, `undefined` and BigInt as written (they
 * cannot be secrets), a type name for anything else (`a RegExp`, `an array`, `an object`). Never throws, even for
 * proxies and objects whose conversion to string throws.
 */
export function describe(value: unknown): string {
  if (value === undefined || value === null || typeof value === 'boolean' || typeof value === 'number') {
    const text = Object.is(value, -0) ? '-0' : String(value);
    return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}...` : text;
  }
  if (typeof value === 'bigint') {
    const text = `${value.toString()}n`;
    return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}...` : text;
  }
  if (typeof value === 'string') {
    return 'a string';
  }
  if (typeof value !== 'object') {
    return `a ${typeof value}`;
  }
  try {
    if (value instanceof Opaque) {
      return value.description;
    }
    if (Array.isArray(value)) {
      return 'an array';
    }
    for (const [type, name] of BUILTINS) {
      if (value instanceof type) {
        return name;
      }
    }
  } catch {
    return 'an object that cannot be read';
  }
  return 'an object';
}

const BUILTINS: readonly [abstract new (...args: never[]) => unknown, string][] = [
  [RegExp, 'a RegExp'],
  [Date, 'a Date'],
  [Map, 'a Map'],
  [Set, 'a Set'],
  [WeakMap, 'a WeakMap'],
  [WeakSet, 'a WeakSet'],
  [Promise, 'a Promise'],
  [Error, 'an Error'],
  [ArrayBuffer, 'an ArrayBuffer'],
  [Number, 'a Number object'],
  [String, 'a String object'],
  [Boolean, 'a Boolean object'],
];

/**
 * How a value may be shown in a message, by the kind of its field. Never throws; the result is one line.
 *
 * - not a string: {@link describe};
 * - {@link FieldKind.NAME}: the string, quoted and escaped, at most {@link SHOWN_MAX} characters;
 * - {@link FieldKind.SECRET}: `a string of N characters (value not shown)`, or the quoted blank string;
 * - {@link FieldKind.WORD} / {@link FieldKind.DATE}: quoted when word-like / date-like, else as SECRET.
 */
export function display(value: unknown, kind: FieldKind): string {
  if (typeof value !== 'string') {
    return describe(value);
  }
  switch (kind) {
    case FieldKind.NAME:
      return quote(value);
    case FieldKind.WORD:
      return /^[A-Za-z0-9 _.+-]*$/.test(value) ? quote(value) : display(value, FieldKind.SECRET);
    case FieldKind.DATE:
      return /^[0-9TZtz:+\-./ ,]{0,40}$/.test(value) ? quote(value) : display(value, FieldKind.SECRET);
    default:
      return value.trim() === '' && value.length <= SHOWN_MAX ? quote(value) : hidden(value);
  }
}

/** A field name that may be shown as is in a path: an identifier of at most {@link SHOWN_MAX} characters. */
export function isShowableKey(key: string): boolean {
  return key.length <= SHOWN_MAX && /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key);
}

/**
 * The path of field `key` under `path`: `path.key` for an identifier, `path["a/b"]` (quoted, escaped) for a map key
 * that is shown, and `path[a field name of N characters, not shown]` for anything else.
 *
 * @param mapKey true for keys of a user map (annotations) that are shown quoted; false for field names, which are
 *   shown only when identifier-like (a crafted or pasted field name is neither echoed nor able to add lines)
 */
export function fieldPath(path: string, key: string, mapKey = false): string {
  if (!mapKey && isShowableKey(key)) {
    return path === '' ? key : `${path}.${key}`;
  }
  const shown = mapKey
    ? quote(key)
    : `a field name of ${key.length} character${key.length === 1 ? '' : 's'}, not shown`;
  return `${path === '' ? '(root)' : path}[${shown}]`;
}

/**
 * `text` with every run that {@link looksLikeCredential} (URL user info, an Entra client-secret shape) replaced by
 * `<credential not shown>`: the last line of defence for a rule reason that quotes part of a value. Linear time.
 */
export function redactCredentials(text: string): string {
  if (!looksLikeCredential(text)) {
    return text;
  }
  return text
    .replace(USER_INFO_G, '$1<credential not shown>@')
    .replace(/[A-Za-z0-9_.~-]*[0-9]Q~[A-Za-z0-9_.~-]*/g, '<credential not shown>');
}

/**
 * The one listing error text: `invalid <what> (N problems):` then one `  - <path>: <message>` line per problem.
 * Paths and messages are escaped again here, so no problem can span or fake lines.
 */
export function formatProblems(problems: readonly Problem[], what = 'MinIO SSE declaration'): string {
  const n = problems.length;
  const lines = problems.map(
    (p) => `  - ${redactCredentials(escapeText(p.path))}: ${redactCredentials(escapeText(p.message))}`,
  );
  return `invalid ${escapeText(what)} (${n} problem${n === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

/** The error {@link formatProblems} describes, thrown by every entry point of the library for bad input. */
export function problemsError(problems: readonly Problem[], what?: string): Error {
  return new Error(formatProblems(problems, what));
}

/** `value` is a record: an object that is not an array (after {@link snapshot}, a plain null-prototype object). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  try {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Opaque);
  } catch {
    return false;
  }
}

/**
 * Collects problems. Values are expected to come from {@link snapshot} (plain data), but every method also
 * tolerates any value.
 */
export class ProblemCollector {
  /** Everything recorded so far, in order. */
  public readonly problems: Problem[] = [];

  /** Records one problem. */
  public add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Records every problem of `problems` (e.g. a snapshot's), with `prefix.` before each path when given. */
  public addAll(problems: readonly Problem[], prefix = ''): void {
    for (const p of problems) {
      this.add(
        prefix === '' ? p.path : p.path === '' || p.path === '(root)' ? prefix : `${prefix}.${p.path}`,
        p.message,
      );
    }
  }

  /**
   * Runs a string rule; records `<shown value> is not a valid <what>: <reason>` when it fails, `is required` when
   * the value is missing, `<shown> must be a string` for another type.
   * @returns true when valid
   */
  public check(
    path: string,
    value: unknown,
    rule: (v: string) => string | undefined,
    what?: string,
    kind = FieldKind.NAME,
  ): boolean {
    if (value === undefined || value === null) {
      this.add(path, `is required${what ? ` (a ${what})` : ''}`);
      return false;
    }
    if (typeof value !== 'string') {
      this.add(path, `${display(value, kind)} must be a string`);
      return false;
    }
    const reason = rule(value);
    if (reason) {
      this.add(path, `${display(value, kind)} ${what ? `is not a valid ${what}: ` : ''}${reason}`);
      return false;
    }
    return true;
  }

  /**
   * Records every own key of `obj` not in `allowed` whose value is not `undefined` (typos would otherwise be
   * ignored silently). The key is shown only when identifier-like ({@link fieldPath}).
   * @param hint appended to the message, e.g. where a secret value belongs instead
   */
  public knownKeys(
    path: string,
    obj: unknown,
    allowed: readonly string[],
    hint?: (key: string) => string | undefined,
  ): void {
    if (!isRecord(obj)) {
      return;
    }
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key) && obj[key] !== undefined) {
        const extra = hint?.(key);
        this.add(
          fieldPath(path, key),
          `is not a known field (expected one of ${allowed.join(', ')})${extra ? `; ${extra}` : ''}`,
        );
      }
    }
  }

  /** Integer within `[min, max]`; records `<shown> must be an integer` / `must be between …`. */
  public int(path: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER, unit?: string): boolean {
    let reason: string | undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      reason = 'must be an integer';
    } else if (value < min || value > max) {
      reason = max === Number.MAX_SAFE_INTEGER ? `must be at least ${min}` : `must be between ${min} and ${max}`;
    }
    if (reason) {
      this.add(path, `${display(value, FieldKind.WORD)} ${reason}${unit ? ` (${unit})` : ''}`);
      return false;
    }
    return true;
  }

  /** A boolean; records `<shown> must be a boolean`. `undefined` passes (the default applies). */
  public bool(path: string, value: unknown): boolean {
    if (value !== undefined && typeof value !== 'boolean') {
      this.add(path, `${display(value, FieldKind.WORD)} must be a boolean`);
      return false;
    }
    return true;
  }

  /** One of `allowed` (string enum values); records `<shown> must be one of …`. */
  public oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): value is T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.add(path, `${display(value, FieldKind.WORD)} must be one of ${allowed.join(', ')}`);
      return false;
    }
    return true;
  }
}
