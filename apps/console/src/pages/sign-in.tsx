import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import type { Session } from '../session';

/** The admin key is checked against the API before it is kept (for this tab only). */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [adminKey, setAdminKey] = useState('');
  const [user, setUser] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/v1/admin/trees', { adminKey });
      onSignedIn({ adminKey, user: user.trim() });
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401 ? 'That admin key was not accepted.' : String((err as Error).message),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sign-in">
      <form onSubmit={(e) => void submit(e)} className="card">
        <h1>pingtree console</h1>
        <label>
          Admin key
          <input
            name="adminKey"
            type="password"
            value={adminKey}
            onChange={(e) => setAdminKey(e.target.value)}
            autoFocus
            required
          />
        </label>
        <label>
          Your name <small>(recorded as the author of your changes)</small>
          <input name="user" value={user} onChange={(e) => setUser(e.target.value)} placeholder="admin" />
        </label>
        {error && <p className="error">{error}</p>}
        <button type="submit" disabled={busy || !adminKey}>
          Sign in
        </button>
      </form>
    </div>
  );
}
