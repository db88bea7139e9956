/**
 * Community moderation for compliance officers and group moderators: the open reports (hide the post; warn, mute or
 * ban its author, each with a reason recorded as an event), and, for compliance only, the refused and flagged content
 * kept as evidence with the rule that refused it, and a group's moderation actions.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as } from '../api/client';
import type { components } from '../api/schema';
import type { Me } from '../App';
import { Findings, Highlighted } from '../contentGuard';
import { DataTable, ErrorPanel, Field, Loaded, useAction, useLoad, when } from '../ui';

type Report = components['schemas']['QueueItem'];
type Evidence = components['schemas']['EvidenceItem'];
type Action = components['schemas']['ActionItem'];
type EvidenceStatus = 'refused' | 'hidden' | 'reported';

const Queue = () => {
  const { t } = useTranslation();
  const queue = useLoad(() => as<{ items: Report[] }>(api.GET('/community/moderation/queue')), []);
  const action = useAction();
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(60);
  const [done, setDone] = useState<string>();
  const act = async (what: string, call: () => Promise<unknown>) => {
    setDone(undefined);
    if ((await action.run(call)) !== undefined) {
      setDone(t('moderation.done', { action: what }));
      queue.reload();
    }
  };
  const member = (report: Report, kind: 'warn' | 'mute' | 'ban') =>
    act(`${kind} ${report.authorId}`, () =>
      as(
        api.POST('/community/groups/{groupId}/members/{userId}/moderation', {
          params: { path: { groupId: report.groupId, userId: report.authorId } },
          body: kind === 'mute' ? { action: kind, reason, minutes } : { action: kind, reason },
        }),
      ),
    );
  return (
    <section aria-labelledby="queue-h">
      <h3 id="queue-h">{t('moderation.queue')}</h3>
      <p className="muted">{t('moderation.queueHint')}</p>
      <div className="toolbar">
        <Field label={t('moderation.reason')}>
          <input name="moderationReason" value={reason} onChange={(event) => setReason(event.target.value)} />
        </Field>
        <Field label={t('moderation.minutes')}>
          <input
            name="muteMinutes"
            type="number"
            min={1}
            max={129600}
            value={minutes}
            onChange={(event) => setMinutes(Number(event.target.value) || 60)}
          />
        </Field>
      </div>
      <ErrorPanel error={action.error} />
      {done && (
        <p role="status" className="badge ok moderation-done">
          {done}
        </p>
      )}
      <Loaded state={queue}>
        {(d) =>
          d.items.length === 0 ? (
            <p className="muted empty">{t('moderation.noQueue')}</p>
          ) : (
            <ul className="cards reports">
              {d.items.map((report) => (
                <li key={report.reportId} className="card" data-post={report.postId}>
                  <p className="post-body">
                    <Highlighted text={report.body} />
                  </p>
                  <Findings texts={[report.body]} okLabel={t('compliance.noFindings')} title={t('compliance.findings')} />
                  <dl className="facts">
                    <dt>{t('moderation.reportReason')}</dt>
                    <dd className="report-reason">{report.reason}</dd>
                    <dt>{t('moderation.reports')}</dt>
                    <dd>{report.reports}</dd>
                    <dt>{t('moderation.author')}</dt>
                    <dd>
                      <code className="short">{report.authorId}</code>
                    </dd>
                    <dt>{t('moderation.reporter')}</dt>
                    <dd>
                      <code className="short">{report.reporterId}</code>
                    </dd>
                    <dt>{t('moderation.reportedAt')}</dt>
                    <dd>{when(report.reportedAt)}</dd>
                    <dt>{t('common.status')}</dt>
                    <dd className="post-status">{report.postStatus}</dd>
                  </dl>
                  <div className="actions">
                    <button
                      type="button"
                      disabled={action.busy}
                      onClick={() =>
                        void act(`hide ${report.postId}`, () =>
                          as(api.POST('/community/posts/{postId}/hide', { params: { path: { postId: report.postId } }, body: { reason } })),
                        )
                      }
                    >
                      {t('moderation.hide')}
                    </button>
                    <button type="button" disabled={action.busy} onClick={() => void member(report, 'warn')}>
                      {t('moderation.warn')}
                    </button>
                    <button type="button" disabled={action.busy} onClick={() => void member(report, 'mute')}>
                      {t('moderation.mute')}
                    </button>
                    <button type="button" disabled={action.busy} onClick={() => void member(report, 'ban')}>
                      {t('moderation.ban')}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
};

const GroupActions = ({ groupId }: { groupId: string }) => {
  const { t } = useTranslation();
  const actions = useLoad(
    () => as<{ items: Action[] }>(api.GET('/community/groups/{groupId}/moderation/actions', { params: { path: { groupId } } })),
    [groupId],
  );
  return (
    <Loaded state={actions}>
      {(d) => (
        <DataTable
          caption={`${t('moderation.actions')}: ${groupId}`}
          data={d.items}
          columns={[
            { header: t('common.at'), cell: ({ row }) => when(row.original.at) },
            { header: t('common.type'), cell: ({ row }) => <span className="action-kind">{row.original.action}</span> },
            { header: t('moderation.author'), cell: ({ row }) => <code className="short">{row.original.userId}</code> },
            { header: t('moderation.reason'), cell: ({ row }) => row.original.reason },
            { header: t('moderation.moderator'), cell: ({ row }) => <code className="short">{row.original.moderatorId}</code> },
          ]}
        />
      )}
    </Loaded>
  );
};

const EvidenceList = () => {
  const { t } = useTranslation();
  const [status, setStatus] = useState<EvidenceStatus | ''>('');
  const [group, setGroup] = useState<string>();
  const evidence = useLoad(
    () => as<{ items: Evidence[] }>(api.GET('/community/evidence', { params: { query: status ? { status } : {} } })),
    [status],
  );
  return (
    <section aria-labelledby="evidence-h" className="community-evidence">
      <h3 id="evidence-h">{t('moderation.evidence')}</h3>
      <p className="muted">{t('moderation.evidenceHint')}</p>
      <div className="toolbar">
        <Field label={t('moderation.status')}>
          <select name="evidenceStatus" value={status} onChange={(event) => setStatus(event.target.value as EvidenceStatus | '')}>
            <option value="">{t('moderation.all')}</option>
            <option value="refused">{t('moderation.refused')}</option>
            <option value="hidden">{t('moderation.hidden')}</option>
            <option value="reported">{t('moderation.reported')}</option>
          </select>
        </Field>
      </div>
      <Loaded state={evidence}>
        {(d) => (
          <DataTable
            caption={t('moderation.evidence')}
            data={d.items}
            columns={[
              { header: t('moderation.post'), cell: ({ row }) => <Highlighted text={row.original.body} /> },
              { header: t('common.status'), cell: ({ row }) => <span className="evidence-status">{row.original.status}</span> },
              {
                header: t('moderation.refusal'),
                cell: ({ row }) => {
                  const refusal = row.original.refusal;
                  if (refusal)
                    return (
                      <span className="refusal">
                        <span className="rule">{refusal.rule}</span> <span className="code">{refusal.code}</span>
                      </span>
                    );
                  return row.original.hiddenReason ?? '—';
                },
              },
              { header: t('moderation.reports'), cell: ({ row }) => row.original.reports },
              { header: t('moderation.author'), cell: ({ row }) => <code className="short">{row.original.authorId}</code> },
              { header: t('common.at'), cell: ({ row }) => when(row.original.createdAt) },
              {
                header: t('moderation.group'),
                cell: ({ row }) => (
                  <button type="button" className="link" onClick={() => setGroup(row.original.groupId)}>
                    {t('moderation.showActions')}
                  </button>
                ),
              },
            ]}
          />
        )}
      </Loaded>
      {group && <GroupActions groupId={group} />}
    </section>
  );
};

export const Moderation = ({ me }: { me: Me }) => {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="moderation-h" className="moderation">
      <h2 id="moderation-h">{t('moderation.title')}</h2>
      <Queue />
      {me.roles.includes('compliance_officer') && <EvidenceList />}
    </section>
  );
};
