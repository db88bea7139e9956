/** The admin's page: users, their roles, disable and enable, and ending every session of a user. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as } from '../api/client';
import type { Me } from '../App';
import { Sessions } from './AdminSessions';
import { DataTable, ErrorPanel, Field, Loaded, useAction, useLoad, when } from '../ui';

const ROLES = ['investor', 'product_manager', 'compliance_officer', 'advisor', 'admin'] as const;
interface User {
  userId: string;
  email: string;
  displayName: string;
  roles: string[];
  registeredAt: string;
  disabled: boolean;
}

export default function AdminPages({ page, me }: { page: string; me: Me }) {
  if (page === 'sessions') return <Sessions />;
  return <Users me={me} />;
}

function Users({ me }: { me: Me }) {
  const { t } = useTranslation();
  const users = useLoad(() => as<{ items: User[] }>(api.GET('/admin/users')), []);
  const [reason, setReason] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('product_manager');
  const action = useAction();
  const [done, setDone] = useState<string>();
  const act = async (what: string, call: () => Promise<unknown>) => {
    setDone(undefined);
    if ((await action.run(call)) !== undefined) {
      setDone(what);
      users.reload();
    }
  };
  return (
    <section aria-labelledby="users-h">
      <h2 id="users-h">{t('nav.users')}</h2>
      <div className="toolbar">
        <Field label={t('admin.reason')}>
          <input name="adminReason" value={reason} onChange={(event) => setReason(event.target.value)} />
        </Field>
        <Field label={t('admin.roles')}>
          <select name="role" value={role} onChange={(event) => setRole(event.target.value as (typeof ROLES)[number])}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorPanel error={action.error} />
      {done && (
        <p role="status" className="badge ok admin-done">
          {done}
        </p>
      )}
      <Loaded state={users}>
        {(d) => (
          <DataTable
            caption={t('nav.users')}
            data={d.items}
            columns={[
              { header: t('login.displayName'), cell: ({ row }) => row.original.displayName },
              { header: t('login.email'), cell: ({ row }) => <span className="email">{row.original.email}</span> },
              { header: t('admin.roles'), cell: ({ row }) => <span className="roles">{row.original.roles.join(', ')}</span> },
              { header: t('admin.registeredAt'), cell: ({ row }) => when(row.original.registeredAt) },
              {
                header: t('common.status'),
                cell: ({ row }) => (
                  <span className={`badge ${row.original.disabled ? 'bad' : 'ok'} user-status`}>
                    {row.original.disabled ? t('admin.disabledState') : t('admin.enabledState')}
                  </span>
                ),
              },
              {
                header: t('common.actions'),
                cell: ({ row }) => {
                  const user = row.original;
                  const path = { params: { path: { userId: user.userId } } };
                  const self = user.userId === me.userId;
                  return (
                    <div className="actions" data-user={user.email}>
                      {!user.roles.includes(role) && (
                        <button
                          type="button"
                          onClick={() =>
                            void act(`${user.email} +${role}`, () =>
                              as(api.POST('/admin/users/{userId}/roles', { ...path, body: { role } })),
                            )
                          }
                        >
                          {t('admin.grant')} {role}
                        </button>
                      )}
                      {user.roles.includes(role) && (
                        <button
                          type="button"
                          onClick={() =>
                            void act(`${user.email} -${role}`, () =>
                              as(api.DELETE('/admin/users/{userId}/roles/{role}', { params: { path: { userId: user.userId, role } } })),
                            )
                          }
                        >
                          {t('admin.revoke')} {role}
                        </button>
                      )}
                      {!self && !user.disabled && (
                        <button
                          type="button"
                          onClick={() =>
                            void act(`${user.email} disabled`, () =>
                              as(api.POST('/admin/users/{userId}/disable', { ...path, body: { reason } })),
                            )
                          }
                        >
                          {t('admin.disable')}
                        </button>
                      )}
                      {!self && user.disabled && (
                        <button
                          type="button"
                          onClick={() =>
                            void act(`${user.email} enabled`, () =>
                              as(api.POST('/admin/users/{userId}/enable', { ...path, body: { reason } })),
                            )
                          }
                        >
                          {t('admin.enable')}
                        </button>
                      )}
                      <button
                        type="button"
                        onClick={() =>
                          void act(`${user.email}: sessions ended`, () => as(api.POST('/admin/users/{userId}/sessions/end', path)))
                        }
                      >
                        {t('admin.endSessions')}
                      </button>
                      <a href={`#/admin/sessions/${user.userId}`}>{t('nav.sessions')}</a>
                    </div>
                  );
                },
              },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}
