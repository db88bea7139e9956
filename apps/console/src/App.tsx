/** Sign-in, then the pages of the signed-in user's roles; the route lives in the URL hash (#/compliance/review). */
import { lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { recordSignIn } from './activity';
import { api, as, session } from './api/client';
import { LoginPage } from './pages/Login';
import { ErrorPanel, Loading } from './ui';

// Each role's pages are their own chunk; the one the URL names starts loading beside the sign-in check rather than after
// it (the chart library stays out until a page draws a chart). A page that is a chunk of its own inside its area's (the
// growth dashboard, campaigns, the inbox, points) is loaded with it, the area's `preload`: the area resolves once both are
// here and renders the page in the same pass, rather than showing a second loading line that React would hold for 300 ms.
const withPage =
  <M,>(load: () => Promise<M & { preload?: (page: string | undefined) => Promise<unknown> | undefined }>) =>
  () =>
    load().then(async (module) => {
      // A page that fails to load fails when shown, as it would have without this.
      await module.preload?.(window.location.hash.replace(/^#\/?/, '').split('/')[1])?.catch(() => undefined);
      return module;
    });
const pages = {
  investor: withPage(() => import('./pages/Investor')),
  compliance: () => import('./pages/Compliance'),
  product: withPage(() => import('./pages/Product')),
  admin: () => import('./pages/Admin'),
};
const InvestorPages = lazy(pages.investor);
const CompliancePages = lazy(pages.compliance);
const ProductPages = lazy(pages.product);
const AdminPages = lazy(pages.admin);
// Group moderators are investors with a role in a group: their moderation queue sits beside the investor's pages.
const ModerationPage = lazy(() => import('./pages/Moderation').then((module) => ({ default: module.Moderation })));

export interface Me {
  userId: string;
  email: string;
  displayName: string;
  roles: string[];
}

export type Area = 'investor' | 'compliance' | 'product' | 'admin';
const AREA_ROLE: Record<Area, string> = {
  investor: 'investor',
  compliance: 'compliance_officer',
  product: 'product_manager',
  admin: 'admin',
};
const NAV: Record<Area, string[]> = {
  investor: ['products', 'advisory', 'timeline', 'inbox', 'points', 'moderation'],
  compliance: ['review', 'returnVisits', 'investorFile', 'log', 'exports', 'verify', 'checkpoints', 'access', 'moderation'],
  product: ['listings', 'growth', 'campaigns'],
  admin: ['users', 'sessions'],
};

const useHashRoute = () => {
  const [hash, setHash] = useState(() => window.location.hash.replace(/^#\/?/, ''));
  useEffect(() => {
    const onChange = () => setHash(window.location.hash.replace(/^#\/?/, ''));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash.split('/');
};

export const go = (path: string) => {
  window.location.hash = `#/${path}`;
};

const areasOf = (me: Me): Area[] => (Object.keys(AREA_ROLE) as Area[]).filter((area) => me.roles.includes(AREA_ROLE[area]));

/**
 * Who the token says the user is (its payload, not verified here: the server checks every request), so that the page
 * the URL names renders, and starts loading its data, at once instead of after GET /me; /me then fills in the display
 * name, or signs out when the session has ended. Undefined for a token that is not readable or has expired.
 */
const claimsOf = (token: string | null): Me | undefined => {
  try {
    const payload = JSON.parse(atob((token ?? '').split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as {
      sub?: unknown;
      email?: unknown;
      roles?: unknown;
      exp?: unknown;
    };
    if (typeof payload.sub !== 'string' || !Array.isArray(payload.roles) || typeof payload.exp !== 'number') return undefined;
    if (payload.exp * 1000 <= Date.now()) return undefined;
    const email = typeof payload.email === 'string' ? payload.email : '';
    return { userId: payload.sub, email, displayName: email, roles: payload.roles.filter((role) => typeof role === 'string') };
  } catch {
    return undefined;
  }
};

export const App = () => {
  const { t, i18n } = useTranslation();
  const [me, setMe] = useState<Me | null | undefined>(() => (session.token ? claimsOf(session.token) : null));
  const [error, setError] = useState<unknown>();
  const [area, page] = useHashRoute();

  const loadMe = useCallback((fresh = false) => {
    as<Me>(api.GET('/me')).then(
      (found) => {
        if (fresh) recordSignIn(found.roles);
        setMe(found);
      },
      (caught: unknown) => {
        session.token = null;
        setError(caught);
        setMe(null);
      },
    );
  }, []);
  useEffect(() => {
    if (session.token) loadMe();
    const wanted = window.location.hash.replace(/^#\/?/, '').split('/')[0];
    if (wanted in pages) void pages[wanted as Area]();
  }, [loadMe]);

  const signedIn = (token: string) => {
    session.token = token;
    setError(undefined);
    setMe(claimsOf(token));
    loadMe(true);
  };
  const signOut = () => {
    void api.POST('/auth/logout', { body: {} }).finally(() => {
      session.token = null;
      setMe(null);
      go('');
    });
  };

  let body: ReactNode;
  if (me === undefined) body = <Loading />;
  else if (me === null)
    body = (
      <>
        <ErrorPanel error={error} />
        <LoginPage onSignedIn={signedIn} />
      </>
    );
  else {
    const areas = areasOf(me);
    const current = (areas.includes(area as Area) ? area : areas[0]) as Area | undefined;
    const pages = current ? NAV[current] : [];
    const currentPage = pages.includes(page ?? '') ? page : pages[0];
    body = (
      <div className={`layout area-${current ?? 'none'}`}>
        <nav aria-label={t('app.title')} className="side">
          {areas.map((a) => (
            <div key={a}>
              {areas.length > 1 && <div className="area-name">{a}</div>}
              <ul>
                {NAV[a].map((p) => (
                  <li key={p}>
                    <a href={`#/${a}/${p}`} aria-current={a === current && p === currentPage ? 'page' : undefined}>
                      {t(`nav.${p}`)}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" tabIndex={-1}>
          <Suspense fallback={<Loading />}>
            {current === 'investor' && currentPage === 'moderation' && <ModerationPage me={me} />}
            {current === 'investor' && currentPage !== 'moderation' && <InvestorPages page={currentPage ?? 'products'} me={me} />}
            {current === 'compliance' && <CompliancePages page={currentPage ?? 'review'} me={me} />}
            {current === 'product' && <ProductPages page={currentPage ?? 'listings'} me={me} />}
            {current === 'admin' && <AdminPages page={currentPage ?? 'users'} me={me} />}
            {!current && <p>{me.roles.join(', ')}</p>}
          </Suspense>
        </main>
      </div>
    );
  }

  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('app.skip')}
      </a>
      <header className="top">
        <h1>{t('app.title')}</h1>
        <div className="top-actions">
          <label>
            <span className="visually-hidden">{t('app.language')}</span>
            <select aria-label={t('app.language')} value={i18n.language} onChange={(event) => void i18n.changeLanguage(event.target.value)}>
              <option value="zh">中文</option>
              <option value="en">English</option>
            </select>
          </label>
          {me && (
            <>
              <span className="who">{me.displayName}</span>
              <button type="button" onClick={signOut}>
                {t('app.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      {body}
    </>
  );
};
