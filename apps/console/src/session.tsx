/** The operator's sign-in: the admin key (and a name for version history), for this browser tab only. */
export interface Session {
  adminKey: string;
  user: string;
}

const KEY = 'pingtree.console.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<Session>) : null;
    return parsed && typeof parsed.adminKey === 'string' ? { adminKey: parsed.adminKey, user: parsed.user ?? '' } : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}
