/** The client secret slots (`clientSecrets`, `activeClientSecret`) and the timestamps of their dates. */
import { checkDnsLabel, checkInteger } from '../declaration/rules';
import { Problem } from '../declaration/validate';
import { DEFAULT_CLIENT_SECRET_LIFETIME_DAYS, KesAuthMode, MAX_CLIENT_SECRET_LIFETIME_DAYS } from './args';
import { ResolvedClientSecretSlot } from './resolved';
import { DAY_MS, isGiven, isObject, show, showWord, showDate, checkKeys, checkBoolean } from './checks';

/** A slot's startDate may lie at most this many days ahead (the day you add it, with some slack for time zones). */
export const MAX_START_DATE_AHEAD_DAYS = 2;
export const SLOT_KEYS = ['name', 'startDate', 'lifetimeDays', 'endDate', 'rotationTrigger', 'protect'];

export const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * Parse an RFC 3339 timestamp (`2025-06-01T12:00:00Z`, `2025-06-01T14:00:00+02:00`, `t`/`z` in any case) or a date
 * (`2025-06-01`, read as midnight UTC) to epoch milliseconds; `undefined` when malformed or not a real calendar
 * time (month 13, February 30, hour 24, …).
 */
export function parseTimestamp(value: string): number | undefined {
  const m = TIMESTAMP.exec(value.toUpperCase());
  if (!m) {
    return undefined;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    return undefined;
  }
  if (m[4] === undefined) {
    return Date.UTC(year, month - 1, day);
  }
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const [oh, om] = [Number(m[9]), Number(m[10])];
    if (oh > 23 || om > 59) {
      return undefined;
    }
    offsetMinutes = (m[8].startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** Format epoch milliseconds as RFC 3339 in UTC with whole seconds (truncated), e.g. `2025-11-28T00:00:00Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export function resolveSlot(
  problems: Problem[],
  slot: unknown,
  i: number,
  now: number,
  protectIdentity: boolean,
): ResolvedClientSecretSlot | undefined {
  const path = `clientSecrets[${i}]`;
  if (!isObject(slot)) {
    problems.push({ path, message: `${show(slot)} must be an object { name, startDate | endDate, ... }` });
    return undefined;
  }
  checkKeys(problems, slot, SLOT_KEYS, path);
  let ok = true;
  const fail = (field: string, message: string): void => {
    problems.push({ path: `${path}.${field}`, message });
    ok = false;
  };

  const name = slot.name;
  if (typeof name !== 'string') {
    fail(
      'name',
      name === undefined ? 'required: a slot name such as "a" or "2025-06"' : `${show(name)} must be a string`,
    );
  } else {
    const reason = checkDnsLabel(name, 32);
    if (reason) {
      fail('name', `${show(name)} is not a valid slot name: ${reason}`);
    }
  }

  const { startDate, endDate, lifetimeDays } = slot;
  let endMs: number | undefined;
  let endField = 'endDate';
  if (startDate !== undefined && endDate !== undefined) {
    fail('endDate', 'give either endDate or startDate (with lifetimeDays), not both');
  } else if (startDate === undefined && endDate === undefined) {
    fail(
      'startDate',
      `required: give startDate (the day the slot is added; the secret then lasts lifetimeDays, default ${DEFAULT_CLIENT_SECRET_LIFETIME_DAYS}) or endDate; an end date computed from "now" would replace the secret on every pulumi up`,
    );
  } else if (endDate !== undefined) {
    if (lifetimeDays !== undefined) {
      fail('lifetimeDays', 'only applies with startDate; with endDate the lifetime is fixed by the end date');
    }
    endMs = typeof endDate === 'string' ? parseTimestamp(endDate) : undefined;
    if (endMs === undefined) {
      fail('endDate', `${showDate(endDate)} is not an RFC 3339 timestamp (2026-01-31T00:00:00Z) or date (2026-01-31)`);
    }
  } else {
    endField = 'startDate';
    const startMs = typeof startDate === 'string' ? parseTimestamp(startDate) : undefined;
    if (startMs === undefined) {
      fail(
        'startDate',
        `${showDate(startDate)} is not an RFC 3339 timestamp (2025-06-01T00:00:00Z) or date (2025-06-01)`,
      );
    } else if (startMs - now > MAX_START_DATE_AHEAD_DAYS * DAY_MS) {
      // The password is valid from its creation, so a start date far ahead silently stretches its lifetime.
      fail(
        'startDate',
        `${showDate(startDate)} is more than ${MAX_START_DATE_AHEAD_DAYS} days ahead: write the day you add the slot (the secret is valid from its creation)`,
      );
    }
    let days = DEFAULT_CLIENT_SECRET_LIFETIME_DAYS;
    if (lifetimeDays !== undefined) {
      const reason = checkInteger(lifetimeDays, 1, MAX_CLIENT_SECRET_LIFETIME_DAYS);
      if (reason) {
        fail('lifetimeDays', `${showWord(lifetimeDays)} ${reason} (days; at most 2 years)`);
      } else {
        days = lifetimeDays as number;
      }
    }
    if (startMs !== undefined && ok) {
      endMs = startMs + days * DAY_MS;
    }
  }

  if (endMs !== undefined) {
    const shown =
      endField === 'endDate'
        ? JSON.stringify(endDate)
        : `${JSON.stringify(startDate)} + ${lifetimeDays ?? DEFAULT_CLIENT_SECRET_LIFETIME_DAYS} days = ${formatTimestamp(endMs)}`;
    if (endMs <= now) {
      fail(
        endField,
        `end date ${shown} is in the past: the secret has expired (or would be born expired); remove the slot (run \`pulumi state unprotect\` on its password first if it is protected) and rotate as the README describes`,
      );
    } else if (endMs - now > MAX_CLIENT_SECRET_LIFETIME_DAYS * DAY_MS) {
      fail(
        endField,
        `end date ${shown} is more than ${MAX_CLIENT_SECRET_LIFETIME_DAYS} days (2 years) from now; use a bounded lifetime and rotate`,
      );
    }
  }

  if (slot.rotationTrigger !== undefined && (typeof slot.rotationTrigger !== 'string' || slot.rotationTrigger === '')) {
    fail('rotationTrigger', `${show(slot.rotationTrigger)} must be a non-empty string`);
  }
  checkBoolean(problems, slot.protect, `${path}.protect`);
  if (!ok || typeof name !== 'string' || endMs === undefined) {
    return undefined;
  }
  return {
    name,
    endDate: formatTimestamp(endMs),
    rotateWhenChanged:
      slot.rotationTrigger === undefined ? { slot: name } : { slot: name, trigger: slot.rotationTrigger as string },
    protect: typeof slot.protect === 'boolean' ? slot.protect : protectIdentity,
  };
}

/**
 * The client secret slots and the active one (client-secret mode only; the secretless modes refused both in
 * `resolveAuthMode`). Problems are recorded in `problems`.
 * @param now the reference time for end dates, in ms
 * @returns the resolved slots, whether every slot is valid, and the active slot's name when there is one
 */
export function resolveClientSecrets(
  problems: Problem[],
  args: Record<string, unknown>,
  kesAuth: KesAuthMode,
  now: number,
  protectIdentity: boolean,
): { slots: ResolvedClientSecretSlot[]; slotsOk: boolean; active?: string } {
  const slots: ResolvedClientSecretSlot[] = [];
  let slotsOk = true;
  const example = "e.g. [{ name: 'a', startDate: '2025-06-01' }]";
  const rawSlots: unknown[] = Array.isArray(args.clientSecrets) ? Array.from(args.clientSecrets as unknown[]) : [];
  if (kesAuth !== KesAuthMode.CLIENT_SECRET) {
    // Secretless: resolveAuthMode already refused clientSecrets and activeClientSecret.
  } else if (!isGiven(args.clientSecrets)) {
    problems.push({ path: 'clientSecrets', message: `required: at least one client secret slot, ${example}` });
    slotsOk = false;
  } else if (!Array.isArray(args.clientSecrets)) {
    problems.push({
      path: 'clientSecrets',
      message: `clientSecrets is ${show(args.clientSecrets)}; expected an array of client secret slots (at least one), ${example}`,
    });
    slotsOk = false;
  } else if (rawSlots.length === 0) {
    problems.push({
      path: 'clientSecrets',
      message: `clientSecrets is an empty array; expected at least one client secret slot, ${example}`,
    });
    slotsOk = false;
  } else {
    const seen = new Map<string, number>();
    rawSlots.forEach((raw: unknown, i: number) => {
      const name = isObject(raw) ? raw.name : undefined;
      if (typeof name === 'string') {
        const first = seen.get(name);
        if (first !== undefined) {
          // Slot names are never shown (the shared display policy): the slots are named by index.
          problems.push({
            path: `clientSecrets[${i}].name`,
            message: `is the same name as clientSecrets[${first}].name`,
          });
          slotsOk = false;
        } else {
          seen.set(name, i);
        }
      }
      const resolved = resolveSlot(problems, raw, i, now, protectIdentity);
      if (resolved) {
        slots.push(resolved);
      } else {
        slotsOk = false;
      }
    });
  }

  let active: string | undefined;
  const names = rawSlots
    .map((s: unknown) => (isObject(s) ? s.name : undefined))
    .filter((n): n is string => typeof n === 'string');
  // Slot names are never shown (the shared display policy): the slots are listed by path.
  const listed = rawSlots.map((_s: unknown, i: number) => `clientSecrets[${i}].name`).join(', ') || 'none';
  if (kesAuth !== KesAuthMode.CLIENT_SECRET) {
    // no active slot
  } else if (args.activeClientSecret !== undefined) {
    if (typeof args.activeClientSecret !== 'string' || !names.includes(args.activeClientSecret)) {
      problems.push({
        path: 'activeClientSecret',
        message: `${show(args.activeClientSecret)} names no slot in clientSecrets (slots: ${listed})`,
      });
    } else {
      active = args.activeClientSecret;
    }
  } else if (names.length === 1) {
    active = names[0];
  } else if (names.length > 1) {
    problems.push({
      path: 'activeClientSecret',
      message: `required when there are several client secret slots (${listed}): name the one KES uses`,
    });
  }

  if (active !== undefined && protectIdentity) {
    const i = rawSlots.findIndex((s: unknown) => isObject(s) && s.name === active);
    const raw = rawSlots[i] as Record<string, unknown>;
    if (raw.protect === false) {
      problems.push({
        path: `clientSecrets[${i}].protect`,
        message: `the active client secret (clientSecrets[${i}]) must stay protected while protectIdentity is true; unprotect only a slot you are about to remove`,
      });
    }
  }
  return { slots, slotsOk, active };
}
