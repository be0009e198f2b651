import { useEffect, useState } from 'react';
import { setUnauthorizedHandler } from './api';
import { ConfigDataProvider } from './config-data';
import { ChannelsPage } from './pages/channels';
import { LeadPage } from './pages/lead';
import { LeadsPage } from './pages/leads';
import { LivePage } from './pages/live';
import { SignInPage } from './pages/sign-in';
import { TreeEditorPage } from './pages/tree-editor';
import { VersionsPage } from './pages/versions';
import { href, useRoute } from './route';
import { loadSession, saveSession, type Session } from './session';

const NAV = [
  { path: 'leads', label: 'Leads' },
  { path: 'channels', label: 'Buyers & channels' },
  { path: 'trees', label: 'Tree editor' },
  { path: 'versions', label: 'Versions' },
  { path: 'live', label: 'Live' },
];

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const route = useRoute();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      saveSession(null);
      setSession(null);
    });
  }, []);

  if (!session) {
    return (
      <SignInPage
        onSignedIn={(s) => {
          saveSession(s);
          setSession(s);
        }}
      />
    );
  }
  const [page = 'leads', ...rest] = route.parts;
  return (
    <ConfigDataProvider>
      <header className="top">
        <span className="brand">pingtree</span>
        <nav>
          {NAV.map((n) => (
            <a
              key={n.path}
              href={href(n.path)}
              className={page === n.path || (page === 'lead' && n.path === 'leads') ? 'active' : ''}
            >
              {n.label}
            </a>
          ))}
        </nav>
        <span className="who">
          {session.user || 'admin'}
          <button
            className="link"
            onClick={() => {
              saveSession(null);
              setSession(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main>
        {page === 'leads' && <LeadsPage query={route.query} />}
        {page === 'lead' && rest[0] && <LeadPage leadId={rest[0]} />}
        {page === 'channels' && <ChannelsPage />}
        {page === 'trees' && <TreeEditorPage treeId={rest[0]} />}
        {page === 'versions' && <VersionsPage kind={rest[0] === 'channel' ? 'channel' : 'tree'} entityId={rest[1]} />}
        {page === 'live' && <LivePage />}
      </main>
    </ConfigDataProvider>
  );
}
