import type { IdentityStorage } from './identity-storage';

interface Session {
  id: string;
  startedAt: number;
  lastActivityAt: number;
}

/** The visitor's identifiers and session, as the tracker uses them. */
export interface VisitorIdentity {
  /** Writes every identifier (when storage becomes allowed, and on page hide). */
  save(): void;
  anonymousId(): string;
  peekAnonymousId(): string | undefined;
  userId(): string | undefined;
  setUserId(userId: string | undefined): void;
  /** The session for an event at `now`: a new one after the idle or age limit. */
  sessionAt(now: number): { id: string; start: boolean };
  /** Forgets the user; a new anonymous id and session follow. */
  reset(): void;
  /** Removes stored identifiers (memory keeps them for this page). */
  forget(): void;
}

/**
 * Identifiers are read from and written to storage only while `mayStore()` says the
 * identifier storage purpose is granted; until then they live in memory. Stored ones win
 * over memory ones when storage becomes readable (a returning visitor keeps their id).
 */
export function createVisitorIdentity(
  storage: IdentityStorage,
  prefix: string,
  mayStore: () => boolean,
  generateId: () => string,
  rules: { idleMs: number; maxMs: number },
  onStorageError: (error: unknown) => void,
): VisitorIdentity {
  let anonymous: string | undefined;
  let user: string | undefined;
  let session: Session | undefined;
  let loaded = false;
  let sessionSavedAt = 0;
  const names = ['anonymousId', 'userId', 'session'] as const;

  function guarded(task: () => void): void {
    try {
      task();
    } catch (error) {
      onStorageError(error);
    }
  }

  function load(): void {
    if (loaded || !mayStore()) return;
    loaded = true;
    guarded(() => {
      anonymous = storage.get(`${prefix}.anonymousId`) ?? anonymous;
      user = storage.get(`${prefix}.userId`) ?? user;
      const stored = storage.get(`${prefix}.session`);
      if (stored) session ??= JSON.parse(stored) as Session;
    });
    identity.save();
  }

  function write(name: (typeof names)[number], value: string | undefined): void {
    if (!mayStore()) return;
    guarded(() => (value === undefined ? storage.remove(`${prefix}.${name}`) : storage.set(`${prefix}.${name}`, value)));
  }

  const identity: VisitorIdentity = {
    save() {
      load();
      write('anonymousId', anonymous);
      write('userId', user);
      if (session) write('session', JSON.stringify(session));
    },
    anonymousId() {
      load();
      if (anonymous === undefined) write('anonymousId', (anonymous = generateId()));
      return anonymous;
    },
    peekAnonymousId() {
      load();
      return anonymous;
    },
    userId() {
      load();
      return user;
    },
    setUserId(userId) {
      load();
      write('userId', (user = userId));
    },
    sessionAt(now) {
      load();
      let current = session;
      const start = !current || now - current.lastActivityAt > rules.idleMs || now - current.startedAt > rules.maxMs;
      if (!current || start) current = session = { id: generateId(), startedAt: now, lastActivityAt: now };
      else current.lastActivityAt = Math.max(current.lastActivityAt, now);
      // Activity is saved at most every 15 s (and on page hide): cheap, and far finer than the 30 min rule.
      if (start || now - sessionSavedAt > 15_000) {
        sessionSavedAt = now;
        write('session', JSON.stringify(current));
      }
      return { id: current.id, start };
    },
    reset() {
      identity.forget();
      user = session = anonymous = undefined;
    },
    forget() {
      guarded(() => {
        for (const name of names) storage.remove(`${prefix}.${name}`);
      });
      loaded = false;
    },
  };
  return identity;
}
