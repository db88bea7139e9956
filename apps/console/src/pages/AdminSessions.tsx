/** The admin's sessions page: a user's active sessions (id, issued, expiry, user agent), ending one or all of them. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as } from '../api/client';
import type { components } from '../api/schema';
import { DataTable, ErrorPanel, Field, Loaded, useAction, useLoad, when } from '../ui';

type Session = components['schemas']['UserSessionResponse'];
type User = components['schemas']['UserResponse'];

export const Sessions = () => {
  const { t } = useTranslation();
  const [userId, setUserId] = useState(() => window.location.hash.split('/')[3] ?? '');
  const users = useLoad(() => as<{ items: User[] }>(api.GET('/admin/users', { params: { query: { limit: 200 } } })), []);
  const sessions = useLoad(
    () =>
      userId
        ? as<{ items: Session[] }>(api.GET('/admin/users/{userId}/sessions', { params: { path: { userId } } }))
        : Promise.resolve({ items: [] as Session[] }),
    [userId],
  );
  const action = useAction();
  const [done, setDone] = useState<string>();
  const user = users.data?.items.find((candidate) => candidate.userId === userId);
  const act = async (what: string, call: () => Promise<unknown>) => {
    setDone(undefined);
    if ((await action.run(call)) !== undefined) {
      setDone(what);
      sessions.reload();
    }
  };
  const choose = (id: string) => {
    setUserId(id);
    setDone(undefined);
    action.clear();
    window.history.replaceState(null, '', `#/admin/sessions${id ? `/${id}` : ''}`);
  };
  return (
    <section aria-labelledby="sessions-h" className="sessions-page">
      <h2 id="sessions-h">{t('sessions.title')}</h2>
      <div className="toolbar">
        <Field label={t('sessions.user')}>
          <select name="sessionUser" value={userId} onChange={(event) => choose(event.target.value)}>
            <option value="">—</option>
            {(users.data?.items ?? []).map((candidate) => (
              <option key={candidate.userId} value={candidate.userId}>
                {candidate.email ?? candidate.userId} ({candidate.roles.join(', ')})
              </option>
            ))}
          </select>
        </Field>
        {userId && (
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              void act(t('sessions.endedAll'), () => as(api.POST('/admin/users/{userId}/sessions/end', { params: { path: { userId } } })))
            }
          >
            {t('sessions.endAll')}
          </button>
        )}
      </div>
      <p className="muted">{t('sessions.lastSeen')}</p>
      <ErrorPanel error={action.error ?? users.error} />
      {done && (
        <p role="status" className="badge ok sessions-done">
          {done}
        </p>
      )}
      {!userId ? (
        <p className="muted">{t('sessions.pick')}</p>
      ) : (
        <Loaded state={sessions}>
          {(d) =>
            d.items.length === 0 ? (
              <p className="muted empty">{t('sessions.none')}</p>
            ) : (
              <DataTable
                caption={t('sessions.caption', { user: user?.email ?? userId })}
                data={d.items}
                columns={[
                  {
                    header: t('sessions.sessionId'),
                    cell: ({ row }) => <code className="session-id short">{row.original.sessionId}</code>,
                  },
                  { header: t('sessions.issuedAt'), cell: ({ row }) => when(row.original.issuedAt) },
                  { header: t('sessions.expiresAt'), cell: ({ row }) => when(row.original.expiresAt) },
                  {
                    header: t('sessions.userAgent'),
                    cell: ({ row }) => <span className="user-agent">{row.original.userAgent ?? t('sessions.unknownAgent')}</span>,
                  },
                  {
                    header: t('common.actions'),
                    cell: ({ row }) => (
                      <button
                        type="button"
                        disabled={action.busy}
                        onClick={() =>
                          void act(`${t('sessions.ended')}: ${row.original.sessionId}`, () =>
                            as(
                              api.POST('/admin/users/{userId}/sessions/{sessionId}/end', {
                                params: { path: { userId, sessionId: row.original.sessionId } },
                              }),
                            ),
                          )
                        }
                      >
                        {t('sessions.end')}
                      </button>
                    ),
                  },
                ]}
              />
            )
          }
        </Loaded>
      )}
    </section>
  );
};
