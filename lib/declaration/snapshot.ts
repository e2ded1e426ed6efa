import { Opaque, Problem, describe, fieldPath } from './problems';

/** Limits of {@link snapshot}. */
export interface SnapshotOptions {
  /**
   * Called for every object before it is read: return `{ value }` to put `value` in the snapshot as is (e.g. a
   * library class instance or a Pulumi Output), or `undefined` to read the object as data. May throw: that is
   * reported like any read that throws.
   * @default - every object is read as data
   */
  readonly keep?: (
    value: object,
    path: string,
    inner: (value: unknown, path: string) => unknown,
  ) => { value: unknown } | undefined;
  /** Deepest nesting read. @default 32 */
  readonly maxDepth?: number;
  /** Most values read in total (objects, arrays and leaves). @default 100000 */
  readonly maxValues?: number;
  /** Longest array read. @default 10000 */
  readonly maxArrayLength?: number;
}

/** What {@link snapshot} read: plain data, and the problems found reading it. */
export interface Snapshot {
  /**
   * Plain data: strings, numbers, booleans, `null`, `undefined`, arrays, null-prototype records of own enumerable
   * string keys, {@link Opaque} for anything else, and what `keep` returned.
   */
  readonly value: unknown;
  /** One problem per value that could not be read (a getter or proxy trap that threw, a cycle, a limit). */
  readonly problems: readonly Problem[];
}

/**
 * Read any JavaScript value defensively into plain data, before any rule looks at it. Never throws; linear in the
 * size of what it reads, bounded by {@link SnapshotOptions}.
 *
 * - Only own enumerable string keys of plain objects (prototype `Object.prototype` or `null`) are read; each read
 *   is guarded, so a getter or Proxy trap that throws becomes a problem "could not be read". Getters are called
 *   once. Keys such as `__proto__` and `constructor` become ordinary keys of a null-prototype record.
 * - Arrays are read by index up to their length (holes read as `undefined`).
 * - BigInt, symbols, functions (unless `keep` keeps them), RegExp, Date, Map, Set, boxed primitives and instances of other classes become an
 *   {@link Opaque} naming their type, so a rule sees "not a string" and a message can say what it was; no
 *   `toString` or `valueOf` of the input is ever called.
 * - A cycle (an object inside itself) is a problem; a shared, non-circular object is read at each place.
 *
 * @param path the path of `value` in messages, `''` for the root
 */
export function snapshot(value: unknown, path = '', options: SnapshotOptions = {}): Snapshot {
  const maxDepth = options.maxDepth ?? 32;
  const maxValues = options.maxValues ?? 100_000;
  const maxArrayLength = options.maxArrayLength ?? 10_000;
  const problems: Problem[] = [];
  const ancestors = new Set<object>();
  let count = 0;
  let tooMany = false;
  const where = (p: string): string => (p === '' ? '(root)' : p);

  const read = (v: unknown, p: string, depth: number): unknown => {
    count++;
    if (count > maxValues) {
      if (!tooMany) {
        problems.push({
          path: where(p),
          message: `the input holds more than ${maxValues} values; pass the declaration as plain data`,
        });
        tooMany = true;
      }
      return new Opaque('a value past the size limit');
    }
    if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      return v;
    }
    if (typeof v === 'function' && options.keep) {
      // A callback option (e.g. `configure`) may be kept by the caller; anything else becomes Opaque.
      try {
        const kept = options.keep(v, p, (inner, innerPath) => read(inner, innerPath, depth + 1));
        if (kept) {
          return kept.value;
        }
      } catch (e) {
        problems.push({ path: where(p), message: `could not be read (${threwWhat(e)}); pass plain data` });
      }
    }
    if (typeof v !== 'object') {
      // BigInt, symbol, function
      return new Opaque(typeof v === 'bigint' ? describe(v) : `a ${typeof v}`);
    }
    if (depth > maxDepth) {
      problems.push({ path: where(p), message: `is nested deeper than ${maxDepth} levels` });
      return new Opaque('a value nested too deep');
    }
    if (ancestors.has(v)) {
      problems.push({ path: where(p), message: 'refers to an object that contains it (a cycle); pass plain data' });
      return new Opaque('a circular reference');
    }
    ancestors.add(v);
    try {
      if (options.keep) {
        const kept = options.keep(v, p, (inner, innerPath) => read(inner, innerPath, depth + 1));
        if (kept) {
          return kept.value;
        }
      }
      if (v instanceof Opaque) {
        return v;
      }
      if (Array.isArray(v)) {
        const length = (v as unknown[]).length;
        if (length > maxArrayLength) {
          problems.push({
            path: where(p),
            message: `is a list of ${length} items; at most ${maxArrayLength} are read`,
          });
          return new Opaque(`a list of ${length} items`);
        }
        const out: unknown[] = [];
        for (let i = 0; i < length; i++) {
          out.push(readProperty(v, String(i), `${p}[${i}]`, depth));
        }
        return out;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        return new Opaque(describe(v));
      }
      const out: Record<string, unknown> = Object.create(null);
      for (const key of Reflect.ownKeys(v)) {
        if (typeof key !== 'string') {
          continue;
        }
        const desc = Object.getOwnPropertyDescriptor(v, key);
        if (!desc?.enumerable) {
          continue;
        }
        out[key] = readProperty(v, key, fieldPath(p, key), depth);
      }
      return out;
    } catch (e) {
      problems.push({ path: where(p), message: `could not be read (${threwWhat(e)}); pass plain data` });
      return new Opaque('a value that could not be read');
    } finally {
      ancestors.delete(v);
    }
  };

  const readProperty = (obj: object, key: string, p: string, depth: number): unknown => {
    let inner: unknown;
    try {
      inner = (obj as Record<string, unknown>)[key];
    } catch (e) {
      problems.push({ path: where(p), message: `could not be read (${threwWhat(e)}); pass plain data` });
      return new Opaque('a value that could not be read');
    }
    return read(inner, p, depth + 1);
  };

  return { value: read(value, path, 0), problems };
}

/** What a caught exception was, without its message (it may quote the value). */
function threwWhat(e: unknown): string {
  try {
    if (e instanceof Error && /^[A-Za-z]{1,40}$/.test(e.name)) {
      return `reading it threw a ${e.name}`;
    }
  } catch {
    // fall through
  }
  return 'reading it threw an exception';
}
