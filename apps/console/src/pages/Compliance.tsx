/** The compliance officer's pages: review, return visits, an investor's file, the log, exports, verification, checkpoints, access. */
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as, type DocumentKind } from '../api/client';
import type { components } from '../api/schema';
import type { Me } from '../App';
import { Findings, Highlighted } from '../contentGuard';
import { DataTable, Empty, ErrorPanel, Field, Json, Loaded, Loading, ReasonGate, useAction, useLoad, when } from '../ui';
import { DocumentText } from './Investor';
import { Moderation } from './Moderation';
import { ProfessionalApplications } from './ProfessionalApplications';

const CheckpointChart = lazy(() => import('./CheckpointChart'));

interface ManagedListing {
  listingId: string;
  status: string;
  family: string;
  kind: string;
  title: string;
  description: string;
  plans: { name: string }[];
  riskLevel: string | null;
  createdBy: string;
  submittedBy: string | null;
  reviewedBy: string | null;
  reviewNote: string | null;
  advisory?: { riskFactors?: Record<string, number> } | null;
  pendingRatingChange: {
    changeId: string;
    riskLevel: string;
    riskFactors: Record<string, number>;
    reason: string;
    proposedBy: string;
  } | null;
}
interface LogEvent {
  eventId: string;
  streamId: string;
  position: string;
  type: string;
  data: Record<string, unknown>;
  metadata?: { actor: string; occurredAt: string; actorRoles?: string[] };
  occurredAt?: string;
  actor?: string;
  hash?: string;
  leafIndex?: number | null;
}
const occurredAt = (event: LogEvent) => event.occurredAt ?? event.metadata?.occurredAt ?? '';
const actorOf = (event: LogEvent) => event.actor ?? event.metadata?.actor ?? '';
const shortHash = (event: LogEvent) => (event.hash ? `${event.hash.slice(0, 16)}…` : '—');
interface Verification {
  id: string;
  status: string;
  reason: string;
  startedAt: string;
  finishedAt: string | null;
  progress: { eventsChecked: number; eventsTotal: number };
  result: { ok: boolean; treeSize: number; rootHash: string; durationMs: number; failures?: unknown } | null;
}
interface Checkpoint {
  treeSize: number;
  rootHash: string;
  keyId: string;
  note: string;
  signedAt: string;
}

const ReviewQueue = ({ me }: { me: Me }) => {
  const { t } = useTranslation();
  const submitted = useLoad(
    () => as<{ items: ManagedListing[] }>(api.GET('/catalog/manage/listings', { params: { query: { status: 'submitted' } } })),
    [],
  );
  const published = useLoad(
    () => as<{ items: ManagedListing[] }>(api.GET('/catalog/manage/listings', { params: { query: { status: 'published' } } })),
    [],
  );
  const action = useAction();
  const [note, setNote] = useState('');
  const reload = () => {
    submitted.reload();
    published.reload();
  };
  const act = async (call: () => Promise<unknown>) => {
    if ((await action.run(call)) !== undefined) reload();
  };
  const ratingChanges = (published.data?.items ?? []).filter((listing) => listing.pendingRatingChange);
  return (
    <section aria-labelledby="review-h">
      <h2 id="review-h">{t('nav.review')}</h2>
      <ErrorPanel error={action.error} />
      <Field label={t('compliance.note')}>
        <input name="note" value={note} onChange={(event) => setNote(event.target.value)} />
      </Field>
      <Loaded state={submitted} isEmpty={(d) => d.items.length === 0}>
        {(d) => (
          <ul className="cards review">
            {d.items.map((listing) => {
              const ownWork = listing.createdBy === me.userId || listing.submittedBy === me.userId;
              return (
                <li key={listing.listingId} className="card" data-listing={listing.listingId}>
                  <h3>
                    <Highlighted text={listing.title} />
                  </h3>
                  <p>
                    <Highlighted text={listing.description} />
                  </p>
                  <p className="muted">
                    {listing.kind} · {listing.family} {listing.riskLevel ?? ''}
                  </p>
                  <Findings
                    texts={[listing.title, listing.description, ...listing.plans.map((plan) => plan.name)]}
                    okLabel={t('compliance.noFindings')}
                    title={t('compliance.findings')}
                  />
                  <dl className="maker-checker">
                    <dt>{t('compliance.maker')}</dt>
                    <dd>
                      <code>{listing.submittedBy ?? listing.createdBy}</code>
                    </dd>
                    <dt>{t('compliance.checker')}</dt>
                    <dd>
                      {ownWork ? (
                        <span className="badge bad">
                          L2: {t('compliance.maker')} = {me.displayName}
                        </span>
                      ) : (
                        me.displayName
                      )}
                    </dd>
                  </dl>
                  <div className="actions">
                    <button
                      type="button"
                      disabled={action.busy}
                      onClick={() =>
                        void act(() =>
                          as(
                            api.POST('/catalog/listings/{listingId}/approve', {
                              params: { path: { listingId: listing.listingId } },
                              body: { confirmedFamily: listing.family as 'advisory', note },
                            }),
                          ),
                        )
                      }
                    >
                      {t('compliance.approve')}
                    </button>
                    <button
                      type="button"
                      disabled={action.busy}
                      onClick={() =>
                        void act(() =>
                          as(
                            api.POST('/catalog/listings/{listingId}/reject', {
                              params: { path: { listingId: listing.listingId } },
                              body: { reason: note || 'see findings' },
                            }),
                          ),
                        )
                      }
                    >
                      {t('compliance.reject')}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Loaded>
      <h3>{t('compliance.ratingChange')}</h3>
      {ratingChanges.length === 0 ? (
        <Empty />
      ) : (
        <ul className="cards">
          {ratingChanges.map((listing) => {
            const change = listing.pendingRatingChange;
            if (!change) return null;
            const path = { path: { listingId: listing.listingId, changeId: change.changeId } };
            return (
              <li key={listing.listingId} className="card">
                <h4>
                  {listing.title}: {listing.riskLevel} → {change.riskLevel}
                </h4>
                <p>{change.reason}</p>
                <Json value={change.riskFactors} />
                <p>
                  {t('compliance.maker')}: <code>{change.proposedBy}</code>
                </p>
                <div className="actions">
                  <button
                    type="button"
                    onClick={() =>
                      void act(() => as(api.POST('/catalog/listings/{listingId}/risk-rating-changes/{changeId}/approve', { params: path })))
                    }
                  >
                    {t('compliance.approve')}
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      void act(() =>
                        as(
                          api.POST('/catalog/listings/{listingId}/risk-rating-changes/{changeId}/reject', {
                            params: path,
                            body: { reason: note || 'reviewed' } as never,
                          }),
                        ),
                      )
                    }
                  >
                    {t('compliance.reject')}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <ProfessionalApplications me={me} />
    </section>
  );
};

const CHECKLIST = [
  'identity',
  'understood_contract_and_risks',
  'suitability',
  'fees',
  'loss_awareness',
  'rescission_rights',
  'dispute_route',
] as const;

const ReturnVisits = () => {
  const { t } = useTranslation();
  const queue = useLoad(
    () =>
      as<
        | { engagementId: string; investorId: string; productId: string; dueBy?: string; status?: string }[]
        | { items: { engagementId: string; investorId: string }[] }
      >(api.GET('/staff/advisory/return-visits')),
    [],
  );
  const [open, setOpen] = useState<string>();
  const [checks, setChecks] = useState<Record<string, boolean>>({});
  const [notes, setNotes] = useState('');
  const action = useAction();
  return (
    <section aria-labelledby="rv-h">
      <h2 id="rv-h">{t('nav.returnVisits')}</h2>
      <ErrorPanel error={action.error} />
      <Loaded state={queue}>
        {(d) => {
          const items = Array.isArray(d) ? d : d.items;
          if (items.length === 0) return <Empty />;
          return (
            <ul className="list">
              {items.map((item) => (
                <li key={item.engagementId} className="card">
                  <button type="button" className="link" onClick={() => setOpen(item.engagementId)}>
                    {item.engagementId}
                  </button>{' '}
                  · <a href={`#/compliance/investorFile/${item.investorId}`}>{item.investorId}</a>
                  {open === item.engagementId && (
                    <form
                      onSubmit={async (event) => {
                        event.preventDefault();
                        const checklist = Object.fromEntries(CHECKLIST.map((key) => [key, checks[key] === true])) as Record<
                          (typeof CHECKLIST)[number],
                          boolean
                        >;
                        const done = await action.run(() =>
                          as(
                            api.POST('/staff/advisory/return-visits/{engagementId}', {
                              params: { path: { engagementId: item.engagementId } },
                              body: { checklist, notes },
                            }),
                          ),
                        );
                        if (done !== undefined) queue.reload();
                      }}
                    >
                      <fieldset>
                        <legend>{t('compliance.checklist')}</legend>
                        {CHECKLIST.map((key) => (
                          <label key={key} className="check">
                            <input
                              type="checkbox"
                              name={key}
                              checked={checks[key] === true}
                              onChange={(event) => setChecks({ ...checks, [key]: event.target.checked })}
                            />{' '}
                            {key}
                          </label>
                        ))}
                      </fieldset>
                      <Field label={t('compliance.note')}>
                        <textarea name="notes" value={notes} onChange={(event) => setNotes(event.target.value)} />
                      </Field>
                      <button type="submit">{t('compliance.record')}</button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          );
        }}
      </Loaded>
    </section>
  );
};

interface ConfirmedDocument {
  kind: string;
  version: string;
  contentHash: string;
}
const confirmedDocumentsOf = (snapshot: unknown): ConfirmedDocument[] => {
  const found: ConfirmedDocument[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.kind === 'string' && typeof record.version === 'string' && typeof record.contentHash === 'string')
        found.push(record as unknown as ConfirmedDocument);
      else Object.values(record).forEach(walk);
    }
  };
  walk(snapshot);
  return found.filter((doc, index) => found.findIndex((other) => other.contentHash === doc.contentHash) === index);
};

const ServedDocument = ({ doc }: { doc: ConfirmedDocument }) => {
  const text = useLoad(
    () =>
      as<string>(
        api.GET('/advisory/documents/{kind}/{version}', {
          params: { path: { kind: doc.kind as DocumentKind, version: doc.version } },
          parseAs: 'text',
        }),
      ).then((text) => ({ text })),
    [doc.kind, doc.version],
  );
  return <Loaded state={text}>{(d) => <DocumentText doc={doc} text={d.text} />}</Loaded>;
};

const toLocalInput = (iso: string) => {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
};

type InvestorMessages = components['schemas']['InvestorMessagesResponse'];

/** The marketing messages the investor was sent (reach), each with the log event that sent it, page by page (E5). */
const SentMessages = ({ investorId, reason }: { investorId: string; reason: string }) => {
  const { t } = useTranslation();
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const cursor = pages[pages.length - 1];
  const messages = useLoad(
    () =>
      as<InvestorMessages>(
        api.GET('/reach/compliance/investors/{investorId}/messages', {
          params: { path: { investorId }, query: { reason, limit: 20, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [investorId, cursor],
  );
  return (
    <section className="sent-messages" aria-labelledby="sent-h">
      <h3 id="sent-h">{t('compliance.messages')}</h3>
      <Loaded state={messages} isEmpty={(page) => page.items.length === 0}>
        {(page) => (
          <>
            <DataTable
              caption={`${t('compliance.messages')} · ${pages.length}`}
              data={page.items}
              columns={[
                { header: t('common.at'), cell: ({ row }) => when(row.original.sentAt) },
                { header: t('compliance.channel'), cell: ({ row }) => t(`compliance.channels.${row.original.channel}`) },
                { header: t('compliance.messageTitle'), cell: ({ row }) => row.original.title },
                {
                  header: t('compliance.messageStatus'),
                  cell: ({ row }) =>
                    row.original.openedAt ? t('compliance.opened') : t(`compliance.messageStatuses.${row.original.status}`),
                },
                {
                  header: t('compliance.sentBy'),
                  cell: ({ row }) => <code className="short">{row.original.campaignId ?? row.original.sentBy}</code>,
                },
                { header: t('compliance.proofEvent'), cell: ({ row }) => <code className="short">{row.original.eventId ?? '—'}</code> },
              ]}
            />
            {page.nextCursor && (
              <button type="button" onClick={() => setPages([...pages, page.nextCursor ?? undefined])}>
                {t('common.next')}
              </button>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
};

const InvestorFile = ({ reason, initial }: { reason: string; initial?: string }) => {
  const { t } = useTranslation();
  const [investorId, setInvestorId] = useState(initial ?? '');
  const [chosen, setChosen] = useState(initial);
  const [at, setAt] = useState(() => new Date().toISOString());
  const timeline = useLoad(
    async () =>
      chosen
        ? as<LogEvent[]>(api.GET('/audit/investors/{investorId}/timeline', { params: { path: { investorId: chosen }, query: { reason } } }))
        : undefined,
    [chosen],
  );
  const snapshot = useLoad(
    async () =>
      chosen
        ? as<Record<string, unknown>>(
            api.GET('/audit/investors/{investorId}/snapshot', { params: { path: { investorId: chosen }, query: { reason, at } } }),
          )
        : undefined,
    [chosen, at],
  );
  const events = timeline.data ?? [];
  const times = events.map(occurredAt);
  const after = times.findIndex((time) => new Date(time) > new Date(at));
  const index = after < 0 ? Math.max(0, times.length - 1) : Math.max(0, after - 1);
  return (
    <section aria-labelledby="file-h">
      <h2 id="file-h">{t('nav.investorFile')}</h2>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setChosen(investorId.trim());
        }}
      >
        <Field label={t('compliance.investorId')}>
          <input name="investorId" value={investorId} onChange={(event) => setInvestorId(event.target.value)} size={40} />
        </Field>
        <button type="submit">{t('common.search')}</button>
      </form>
      {chosen && (
        <>
          <ErrorPanel error={timeline.error} />
          {timeline.loading && <Loading />}
          {events.length > 0 && (
            <div className="card time-control">
              <Field label={t('compliance.snapshotAt')}>
                <input
                  type="datetime-local"
                  step={1}
                  name="at"
                  value={toLocalInput(at)}
                  onChange={(event) => event.target.value && setAt(new Date(event.target.value).toISOString())}
                />
              </Field>
              <label className="field">
                <span>
                  {t('compliance.events')} (1–{events.length})
                </span>
                <input
                  type="range"
                  name="event"
                  min={0}
                  max={events.length - 1}
                  value={index}
                  onChange={(event) => setAt(times[Number(event.target.value)])}
                />
              </label>
            </div>
          )}
          <h3>{t('compliance.snapshot')}</h3>
          <Loaded state={snapshot}>{(s) => (s ? <Json value={s} /> : <Empty />)}</Loaded>
          {snapshot.data && (
            <>
              <h3>{t('investor.documents')}</h3>
              {confirmedDocumentsOf(snapshot.data).map((doc) => (
                <ServedDocument key={doc.contentHash} doc={doc} />
              ))}
            </>
          )}
          <h3>{t('nav.timeline')}</h3>
          <DataTable
            caption={t('nav.timeline')}
            data={events}
            columns={[
              { header: t('common.at'), cell: ({ row }) => when(occurredAt(row.original)) },
              { header: t('common.type'), cell: ({ row }) => <code>{row.original.type}</code> },
              { header: t('common.actor'), cell: ({ row }) => <code className="short">{actorOf(row.original)}</code> },
              { header: t('common.hash'), cell: ({ row }) => <code className="short">{shortHash(row.original)}</code> },
            ]}
          />
          <SentMessages key={chosen} investorId={chosen} reason={reason} />
        </>
      )}
    </section>
  );
};

const LogSearch = ({ reason, fixedType, title }: { reason: string; fixedType?: string; title: string }) => {
  const { t } = useTranslation();
  const [filters, setFilters] = useState({ type: fixedType ?? '', investorId: '', actor: '', from: '', to: '' });
  const [query, setQuery] = useState(filters);
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const cursor = pages[pages.length - 1];
  const result = useLoad(() => {
    const q = Object.fromEntries(Object.entries(query).filter(([, value]) => value)) as Record<string, string>;
    if (q.from) q.from = new Date(q.from).toISOString();
    if (q.to) q.to = new Date(q.to).toISOString();
    return as<{ items: LogEvent[]; nextCursor: string | null }>(
      api.GET('/audit/events', { params: { query: { ...q, reason, limit: 20, ...(cursor ? { cursor } : {}) } } }),
    );
  }, [query, cursor]);
  const set = (key: keyof typeof filters) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setFilters({ ...filters, [key]: event.target.value });
  return (
    <section aria-labelledby="log-h">
      <h2 id="log-h">{title}</h2>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setPages([undefined]);
          setQuery(filters);
        }}
      >
        {!fixedType && (
          <Field label={t('common.type')}>
            <input name="type" value={filters.type} onChange={set('type')} placeholder="advisory.SuitabilityMatched" />
          </Field>
        )}
        <Field label={t('compliance.investorId')}>
          <input name="investorId" value={filters.investorId} onChange={set('investorId')} />
        </Field>
        <Field label={t('common.actor')}>
          <input name="actor" value={filters.actor} onChange={set('actor')} />
        </Field>
        <Field label="from">
          <input name="from" type="datetime-local" value={filters.from} onChange={set('from')} />
        </Field>
        <Field label="to">
          <input name="to" type="datetime-local" value={filters.to} onChange={set('to')} />
        </Field>
        <button type="submit">{t('common.search')}</button>
      </form>
      <Loaded state={result}>
        {(d) => (
          <>
            <DataTable
              caption={`${title} · ${pages.length}`}
              data={d.items}
              columns={[
                { header: '#', cell: ({ row }) => row.original.leafIndex ?? row.original.position },
                { header: t('common.at'), cell: ({ row }) => when(occurredAt(row.original)) },
                { header: t('common.type'), cell: ({ row }) => <code>{row.original.type}</code> },
                { header: t('common.actor'), cell: ({ row }) => <code className="short">{actorOf(row.original)}</code> },
                fixedType
                  ? {
                      header: t('reason.field'),
                      cell: ({ row }) => (
                        <span className="access-reason">
                          {String(row.original.data.reason ?? '')} · {String(row.original.data.kind ?? '')}
                        </span>
                      ),
                    }
                  : { header: 'stream', cell: ({ row }) => <code className="short">{row.original.streamId}</code> },
              ]}
            />
            <div className="actions">
              {pages.length > 1 && (
                <button type="button" onClick={() => setPages(pages.slice(0, -1))}>
                  ←
                </button>
              )}
              {d.nextCursor && (
                <button type="button" onClick={() => setPages([...pages, d.nextCursor ?? undefined])}>
                  {t('common.next')}
                </button>
              )}
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
};

const Export = ({ reason }: { reason: string }) => {
  const { t } = useTranslation();
  const [filters, setFilters] = useState({ investorId: '', type: '' });
  const [file, setFile] = useState<{ url: string; name: string; lines: number }>();
  const action = useAction();
  const run = async (event: React.FormEvent) => {
    event.preventDefault();
    const body = { reason, ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value)) };
    const text = await action.run(() => as<string>(api.POST('/audit/exports', { body, parseAs: 'text' })));
    if (text === undefined) return;
    if (file) URL.revokeObjectURL(file.url);
    const name = `evidence-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`;
    const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
    setFile({ url, name, lines: text.split('\n').filter(Boolean).length });
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.click();
  };
  return (
    <section aria-labelledby="export-h">
      <h2 id="export-h">{t('nav.exports')}</h2>
      <form className="toolbar" onSubmit={run}>
        <Field label={t('compliance.investorId')}>
          <input
            name="investorId"
            value={filters.investorId}
            onChange={(event) => setFilters({ ...filters, investorId: event.target.value })}
          />
        </Field>
        <Field label={t('common.type')}>
          <input name="type" value={filters.type} onChange={(event) => setFilters({ ...filters, type: event.target.value })} />
        </Field>
        <button type="submit" disabled={action.busy}>
          {t('compliance.download')}
        </button>
      </form>
      <ErrorPanel error={action.error} />
      {file && (
        <p className="export-ready">
          <a href={file.url} download={file.name}>
            {file.name}
          </a>{' '}
          · {file.lines} lines
        </p>
      )}
    </section>
  );
};

const Verify = ({ reason }: { reason: string }) => {
  const { t } = useTranslation();
  const [current, setCurrent] = useState<Verification>();
  const action = useAction();
  const recent = useLoad(() => as<Verification[]>(api.GET('/audit/verifications')), [current?.status]);
  const timer = useRef<number>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const poll = (id: string) => {
    timer.current = window.setTimeout(async () => {
      const next = await action.run(() => as<Verification>(api.GET('/audit/verifications/{id}', { params: { path: { id } } })));
      if (!next) return;
      setCurrent(next);
      if (next.status === 'running' || next.status === 'queued') poll(id);
    }, 150);
  };
  const start = async () => {
    const started = await action.run(() => as<Verification>(api.POST('/audit/verifications', { body: { reason } })));
    if (!started) return;
    setCurrent(started);
    poll(started.id);
  };
  return (
    <section aria-labelledby="verify-h">
      <h2 id="verify-h">{t('nav.verify')}</h2>
      <button type="button" className="primary" onClick={() => void start()} disabled={action.busy || current?.status === 'running'}>
        {t('compliance.startVerification')}
      </button>
      <ErrorPanel error={action.error} />
      {current && (
        <div className="card verification" data-status={current.status}>
          <label className="field">
            <span>
              {t('compliance.progress')}: {current.progress.eventsChecked} / {current.progress.eventsTotal}
            </span>
            <progress max={Math.max(1, current.progress.eventsTotal)} value={current.progress.eventsChecked} />
          </label>
          <p>
            {t('common.status')}: <strong className="verification-status">{current.status}</strong>
          </p>
          {current.result && (
            <dl>
              <dt>{t('compliance.treeSize')}</dt>
              <dd>{current.result.treeSize}</dd>
              <dt>{t('compliance.rootHash')}</dt>
              <dd>
                <code>{current.result.rootHash}</code>
              </dd>
              <dt>ms</dt>
              <dd>{current.result.durationMs}</dd>
            </dl>
          )}
        </div>
      )}
      <Loaded state={recent}>
        {(list) => (
          <DataTable
            caption={t('nav.verify')}
            data={list}
            columns={[
              { header: t('common.at'), cell: ({ row }) => when(row.original.startedAt) },
              { header: t('common.status'), cell: ({ row }) => row.original.status },
              {
                header: t('compliance.progress'),
                cell: ({ row }) => `${row.original.progress.eventsChecked}/${row.original.progress.eventsTotal}`,
              },
              { header: t('reason.field'), cell: ({ row }) => row.original.reason },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
};

const Checkpoints = () => {
  const { t } = useTranslation();
  const list = useLoad(() => as<Checkpoint[]>(api.GET('/audit/checkpoints', { params: { query: {} } })), []);
  const latest = useLoad(() => as<string>(api.GET('/log/checkpoint', { parseAs: 'text' })), []);
  const action = useAction();
  return (
    <section aria-labelledby="cp-h">
      <h2 id="cp-h">{t('nav.checkpoints')}</h2>
      <button
        type="button"
        onClick={async () => {
          if ((await action.run(() => as(api.POST('/audit/checkpoints')))) !== undefined) {
            list.reload();
            latest.reload();
          }
        }}
      >
        {t('common.reload')}
      </button>
      <ErrorPanel error={action.error} />
      <h3>{t('compliance.cosignatures')}</h3>
      <Loaded state={latest}>
        {(note) => (
          <ul className="signatures">
            {note
              .split('\n')
              .filter((line) => line.startsWith('—'))
              .map((line) => (
                <li key={line}>
                  <code>{line.split(' ')[1]}</code> <code className="short">{line.split(' ')[2]?.slice(0, 24)}…</code>
                </li>
              ))}
          </ul>
        )}
      </Loaded>
      <Loaded state={list}>
        {(items) => (
          <>
            <Suspense fallback={<Loading />}>
              {items.length > 1 && <CheckpointChart points={items.map((c) => ({ at: c.signedAt, size: c.treeSize }))} />}
            </Suspense>
            <DataTable
              caption={t('nav.checkpoints')}
              data={items}
              columns={[
                { header: t('compliance.treeSize'), cell: ({ row }) => row.original.treeSize },
                { header: t('compliance.rootHash'), cell: ({ row }) => <code className="short">{row.original.rootHash}</code> },
                { header: t('common.at'), cell: ({ row }) => when(row.original.signedAt) },
                { header: 'key', cell: ({ row }) => row.original.keyId },
              ]}
            />
          </>
        )}
      </Loaded>
    </section>
  );
};

export default function CompliancePages({ page, me }: { page: string; me: Me }) {
  const { t } = useTranslation();
  const extra = window.location.hash.split('/')[3];
  switch (page) {
    case 'returnVisits':
      return <ReturnVisits />;
    case 'investorFile':
      return <ReasonGate key={page}>{(reason) => <InvestorFile reason={reason} initial={extra} />}</ReasonGate>;
    case 'log':
      return <ReasonGate key={page}>{(reason) => <LogSearch reason={reason} title={t('nav.log')} />}</ReasonGate>;
    case 'exports':
      return <ReasonGate key={page}>{(reason) => <Export reason={reason} />}</ReasonGate>;
    case 'verify':
      return <ReasonGate key={page}>{(reason) => <Verify reason={reason} />}</ReasonGate>;
    case 'checkpoints':
      return <Checkpoints />;
    case 'moderation':
      return <Moderation me={me} />;
    case 'access':
      return (
        <ReasonGate key={page}>
          {(reason) => <LogSearch reason={reason} fixedType="audit.EvidenceAccessed" title={t('nav.access')} />}
        </ReasonGate>
      );
    default:
      return <ReviewQueue me={me} />;
  }
}
