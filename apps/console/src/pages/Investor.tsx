/** The investor's pages, laid out for a phone: value-added products, the advisory journey, their own timeline. */
import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as, idempotencyKey, sha256Hex, type DocumentKind } from '../api/client';
import type { Me } from '../App';
import { ProfessionalApply } from './ProfessionalApply';
import { DataTable, Empty, ErrorPanel, Field, lazyPage, Loaded, Loading, useAction, useLoad, when } from '../ui';

const Inbox = lazyPage(() => import('./Inbox'));
const Points = lazyPage(() => import('./Points'));

/** The chunk of the page named, when it has one: App.tsx loads it with this area's, so both render in one pass. */
export const preload = (page: string | undefined) =>
  page === 'inbox' ? Inbox.preload() : page === 'points' ? Points.preload() : undefined;

interface Plan {
  planId: string;
  name: string;
  priceMinor: number;
  currency: string;
  billingPeriod: string;
  trialDays?: number;
}
interface Listing {
  listingId: string;
  kind: string;
  title: string;
  description: string;
  plans: Plan[];
}
interface AdvisoryProduct extends Omit<Listing, 'listingId'> {
  productId: string;
  riskLevel: string;
  horizon: string;
}
interface Fired {
  rule: string;
  code: string;
  ref: string;
  blocking: boolean;
}
interface DocumentRef {
  documentId: string;
  kind: string;
  version: string;
  contentHash: string;
}
interface Engagement {
  engagementId: string;
  productId: string;
  planId: string;
  status: string;
  opinion: { decision: string; fired: Fired[]; levelFit: string; objectiveFit: boolean; outstanding: string[]; ruleSetVersion: string };
  requiredDocuments: { riskDisclosure: DocumentRef | null; specialRiskWarning: DocumentRef | null };
  rating: { riskLevel: string };
  steps: { kind: string; at: string; documentHash: string | null }[];
  disclosureConfirmed: boolean;
  contract: { serial?: string; contentHash?: string } | null;
  subscription: { subscriptionId?: string; rescissionDeadline?: string } | null;
}
interface Question {
  id: string;
  text: { en: string; zh: string };
  options: { id: string; text: { en: string; zh: string } }[];
}
interface TimelineEvent {
  eventId: string;
  type: string;
  hash?: string;
  occurredAt?: string;
  metadata?: { occurredAt: string };
  data: Record<string, unknown>;
}

const money = (minor: number, currency: string) => `${currency === 'CNY' ? '¥' : currency + ' '}${(minor / 100).toFixed(2)}`;

const Products = () => {
  const { t } = useTranslation();
  const listings = useLoad(() => as<{ items: Listing[] }>(api.GET('/catalog/listings', { params: { query: {} } })), []);
  const mine = useLoad(() => as<{ subscriptionId: string; listingId: string; status: string }[]>(api.GET('/me/subscriptions')), []);
  const action = useAction();
  const subscribe = async (listingId: string, planId: string) => {
    const done = await action.run(() =>
      as(
        api.POST('/subscriptions', {
          params: { header: { 'Idempotency-Key': idempotencyKey() } },
          body: { listingId, planId, paymentMethod: 'sandbox_ok' },
        }),
      ),
    );
    if (done) setTimeout(mine.reload, 800);
  };
  const subscribed = new Set((mine.data ?? []).map((s) => s.listingId));
  return (
    <section aria-labelledby="products-h">
      <h2 id="products-h">{t('investor.catalog')}</h2>
      <ErrorPanel error={action.error} />
      <Loaded state={listings} isEmpty={(d) => d.items.length === 0}>
        {(data) => (
          <ul className="cards">
            {data.items.map((listing) => (
              <li key={listing.listingId} className="card">
                <h3>{listing.title}</h3>
                <p>{listing.description}</p>
                {subscribed.has(listing.listingId) && <p className="badge ok">{t('investor.subscribed')}</p>}
                {listing.plans.map((plan) => (
                  <div key={plan.planId} className="plan">
                    <span>
                      {plan.name} · {money(plan.priceMinor, plan.currency)}
                    </span>
                    <button
                      type="button"
                      disabled={action.busy}
                      onClick={() => void subscribe(listing.listingId, plan.planId)}
                      aria-label={`${t('investor.subscribe')} ${listing.title} ${plan.name}`}
                    >
                      {t('investor.subscribe')}
                    </button>
                  </div>
                ))}
              </li>
            ))}
          </ul>
        )}
      </Loaded>
    </section>
  );
};

const OpenAccount = ({ onOpened }: { onOpened: () => void }) => {
  const { t } = useTranslation();
  const docs = useLoad(() => as<(DocumentRef & { current: boolean; text: string })[]>(api.GET('/advisory/documents')), []);
  const [form, setForm] = useState({ legalName: '', nationalId: '', mobile: '', consent: false });
  const action = useAction();
  const consent = docs.data?.find((d) => d.kind === 'sensitive_data_consent' && d.current);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const done = await action.run(() =>
      as(
        api.POST('/advisory/account', {
          body: {
            legalName: form.legalName,
            nationalId: form.nationalId,
            mobile: form.mobile,
            profile: {
              occupation: 'engineer',
              incomeBand: '100k_500k',
              assetsBand: '500k_3m',
              experienceYears: 3,
              objectives: { goal: 'growth', varieties: ['equities', 'funds'], horizon: 'long' },
            },
            sensitiveDataConsent: form.consent,
            consentTextHash: consent?.contentHash ?? '',
          } as never,
        }),
      ),
    );
    if (done) onOpened();
  };
  return (
    <form className="card" onSubmit={submit}>
      <h3>{t('investor.openAccount')}</h3>
      <Field label={t('investor.legalName')}>
        <input name="legalName" required value={form.legalName} onChange={(e) => setForm({ ...form, legalName: e.target.value })} />
      </Field>
      <Field label={t('investor.nationalId')}>
        <input name="nationalId" required value={form.nationalId} onChange={(e) => setForm({ ...form, nationalId: e.target.value })} />
      </Field>
      <Field label={t('investor.mobile')}>
        <input name="mobile" required value={form.mobile} onChange={(e) => setForm({ ...form, mobile: e.target.value })} />
      </Field>
      {consent && <DocumentText doc={consent} text={consent.text} />}
      <label className="check">
        <input type="checkbox" name="consent" checked={form.consent} onChange={(e) => setForm({ ...form, consent: e.target.checked })} />{' '}
        {t('investor.consent')}
      </label>
      <ErrorPanel error={action.error} />
      <button type="submit" disabled={action.busy}>
        {t('investor.openAccount')}
      </button>
    </form>
  );
};

/** The text exactly as served, and whether it hashes (here, in the browser) to the hash the investor confirms. */
export const DocumentText = ({ doc, text }: { doc: { kind: string; version: string; contentHash: string }; text: string }) => {
  const { t } = useTranslation();
  const [computed, setComputed] = useState<string>();
  useEffect(() => {
    void sha256Hex(text).then(setComputed);
  }, [text]);
  return (
    <figure className="document" data-kind={doc.kind}>
      <figcaption>
        {doc.kind} · {doc.version}
      </figcaption>
      <pre className="document-text" tabIndex={0}>
        {text}
      </pre>
      <p className="hash">
        {t('common.hash')}: <code>{doc.contentHash}</code>{' '}
        {computed !== undefined &&
          (computed === doc.contentHash ? (
            <span className="badge ok">✓ {t('common.hashMatches')}</span>
          ) : (
            <span className="badge bad">✗ {t('common.hashDiffers')}</span>
          ))}
      </p>
    </figure>
  );
};

const Questionnaire = ({ onDone }: { onDone: () => void }) => {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const questionnaire = useLoad(
    () =>
      as<{ version: string; title: { en: string; zh: string }; questions: Question[] }>(
        api.GET('/advisory/questionnaire', { params: { query: {} } } as never),
      ) /* the server serves the current version without `version`; the document still marks it required */,
    [],
  );
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ assessmentId: string; category: string; score: number }>();
  const action = useAction();
  return (
    <Loaded state={questionnaire}>
      {(q) => (
        <form
          className="card"
          onSubmit={async (event) => {
            event.preventDefault();
            const answer = await action.run(() =>
              as<{ assessmentId: string; category: string; score: number }>(
                api.POST('/advisory/assessments', { body: { answers } as never }),
              ),
            );
            if (answer) setResult(answer);
          }}
        >
          <h3>{q.title[lang]}</h3>
          {q.questions.map((question) => (
            <fieldset key={question.id}>
              <legend>{question.text[lang]}</legend>
              {question.options.map((option) => (
                <label key={option.id} className="check">
                  <input
                    type="radio"
                    name={question.id}
                    value={option.id}
                    checked={answers[question.id] === option.id}
                    onChange={() => setAnswers({ ...answers, [question.id]: option.id })}
                    required
                  />
                  {option.text[lang]}
                </label>
              ))}
            </fieldset>
          ))}
          <ErrorPanel error={action.error} />
          {!result && (
            <button type="submit" disabled={action.busy}>
              {t('investor.takeQuestionnaire')}
            </button>
          )}
          {result && (
            <div className="result">
              <p>
                {t('investor.category')}: <strong className="category">{result.category}</strong> ({result.score})
              </p>
              <button
                type="button"
                onClick={async () => {
                  const done = await action.run(() =>
                    as(
                      api.POST('/advisory/assessments/{assessmentId}/confirmation', {
                        params: { path: { assessmentId: result.assessmentId } },
                      }),
                    ),
                  );
                  if (done) onDone();
                }}
              >
                {t('investor.confirmAssessment')}
              </button>
            </div>
          )}
        </form>
      )}
    </Loaded>
  );
};

const Opinion = ({ opinion }: { opinion: Engagement['opinion'] }) => {
  const { t } = useTranslation();
  return (
    <div className={`opinion ${opinion.decision}`}>
      <h4>
        {t('investor.opinion')}: {t(`rules.${opinion.decision}`)}
      </h4>
      <ul>
        {opinion.fired.map((fired) => (
          <li key={fired.code}>
            <span className="rule">{fired.rule}</span> <span className="code">{fired.code}</span> ({fired.ref}):{' '}
            {t(`rules.${fired.code}`, { defaultValue: fired.code })}
          </li>
        ))}
      </ul>
      <p className="muted">{opinion.ruleSetVersion}</p>
    </div>
  );
};

const DocumentToConfirm = ({
  doc,
  confirmed,
  onConfirm,
  busy,
}: {
  doc: DocumentRef;
  confirmed: boolean;
  onConfirm: () => void;
  busy: boolean;
}) => {
  const { t } = useTranslation();
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
  return (
    <div className="card">
      <Loaded state={text}>{(d) => <DocumentText doc={doc} text={d.text} />}</Loaded>
      {confirmed ? (
        <p className="badge ok">{t('investor.confirmed')}</p>
      ) : (
        <button type="button" disabled={busy || !text.data} onClick={onConfirm}>
          {t('investor.confirm')} ({doc.kind})
        </button>
      )}
    </div>
  );
};

const EngagementView = ({ engagementId }: { engagementId: string }) => {
  const { t } = useTranslation();
  const engagement = useLoad(
    () => as<Engagement>(api.GET('/advisory/engagements/{engagementId}', { params: { path: { engagementId } } })),
    [engagementId],
  );
  const preview = useLoad(
    () =>
      as<{ text: string; contentHash: string; version?: string }>(
        api.GET('/advisory/engagements/{engagementId}/contract-preview', { params: { path: { engagementId } } }),
      ),
    [engagementId],
  );
  const action = useAction();
  const [statement, setStatement] = useState('我已知晓风险，坚持购买');
  const [notice, setNotice] = useState('');
  const path = { path: { engagementId } };
  const act = async (call: () => Promise<unknown>) => {
    const done = await action.run(call);
    if (done !== undefined) {
      engagement.reload();
      preview.reload();
    }
  };
  return (
    <Loaded state={engagement}>
      {(e) => {
        const signedWarning = e.steps.some((s) => s.kind === 'special_risk_warning');
        const insisted = e.steps.some((s) => s.kind === 'insistence');
        return (
          <section className="engagement" aria-label={t('investor.engagement')}>
            <h3>
              {t('investor.engagement')} · <span className="status">{e.status}</span> · {t('investor.riskLevel')} {e.rating.riskLevel}
            </h3>
            <Opinion opinion={e.opinion} />
            <h4>{t('investor.documents')}</h4>
            {e.requiredDocuments.riskDisclosure && (
              <DocumentToConfirm
                doc={e.requiredDocuments.riskDisclosure}
                confirmed={e.disclosureConfirmed}
                busy={action.busy}
                onConfirm={() =>
                  void act(() =>
                    as(
                      api.POST('/advisory/engagements/{engagementId}/risk-disclosure', {
                        params: path,
                        body: { contentHash: e.requiredDocuments.riskDisclosure?.contentHash ?? '' },
                      }),
                    ),
                  )
                }
              />
            )}
            {e.requiredDocuments.specialRiskWarning && (
              <DocumentToConfirm
                doc={e.requiredDocuments.specialRiskWarning}
                confirmed={signedWarning}
                busy={action.busy}
                onConfirm={() =>
                  void act(() =>
                    as(
                      api.POST('/advisory/engagements/{engagementId}/special-risk-warning', {
                        params: path,
                        body: { contentHash: e.requiredDocuments.specialRiskWarning?.contentHash ?? '' },
                      }),
                    ),
                  )
                }
              />
            )}
            {e.opinion.outstanding.includes('insistence') && !insisted && (
              <div className="card">
                <Field label={t('investor.insistence')}>
                  <input name="insistence" value={statement} onChange={(ev) => setStatement(ev.target.value)} />
                </Field>
                <button
                  type="button"
                  disabled={action.busy}
                  onClick={() =>
                    void act(() => as(api.POST('/advisory/engagements/{engagementId}/insistence', { params: path, body: { statement } })))
                  }
                >
                  {t('investor.insist')}
                </button>
              </div>
            )}
            <h4>{t('investor.contract')}</h4>
            {e.contract ? (
              <p className="badge ok">
                {t('investor.confirmed')} {e.contract.serial}
              </p>
            ) : (
              <Loaded state={preview}>
                {(p) => (
                  <div className="card">
                    <DocumentText doc={{ kind: 'advisory_contract', version: p.version ?? '', contentHash: p.contentHash }} text={p.text} />
                    <button
                      type="button"
                      disabled={action.busy}
                      onClick={() =>
                        void act(() =>
                          as(
                            api.POST('/advisory/engagements/{engagementId}/contract', {
                              params: path,
                              body: { contentHash: p.contentHash },
                            }),
                          ),
                        )
                      }
                    >
                      {t('investor.sign')}
                    </button>
                  </div>
                )}
              </Loaded>
            )}
            <ErrorPanel error={action.error} />
            <div className="actions">
              {!e.subscription && (
                <button
                  type="button"
                  className="primary"
                  disabled={action.busy}
                  onClick={() =>
                    void act(async () => {
                      const answer = await as(
                        api.POST('/advisory/engagements/{engagementId}/purchase', {
                          params: { ...path, header: { 'Idempotency-Key': idempotencyKey() } },
                          body: { paymentMethod: 'sandbox_ok' },
                        }),
                      );
                      await new Promise((resolve) => setTimeout(resolve, 1200));
                      return answer;
                    })
                  }
                >
                  {t('investor.buy')}
                </button>
              )}
              {e.status === 'active' && (
                <>
                  <Field label={t('investor.rescindNotice')}>
                    <input name="notice" value={notice} onChange={(ev) => setNotice(ev.target.value)} />
                  </Field>
                  <button
                    type="button"
                    disabled={action.busy || !notice.trim()}
                    onClick={() =>
                      void act(() =>
                        as(
                          api.POST('/advisory/engagements/{engagementId}/rescission', {
                            params: { ...path, header: { 'Idempotency-Key': idempotencyKey() } },
                            body: { notice },
                          }),
                        ),
                      )
                    }
                  >
                    {t('investor.rescind')}
                  </button>
                </>
              )}
            </div>
          </section>
        );
      }}
    </Loaded>
  );
};

const Advisory = ({ productFromLink }: { productFromLink?: string }) => {
  const { t } = useTranslation();
  const account = useLoad(async () => {
    try {
      return await as<{ investorId: string; legalNameMasked: string }>(api.GET('/advisory/account'));
    } catch (error) {
      if ((error as { problem?: { status: number } }).problem?.status === 404) return null;
      throw error;
    }
  }, []);
  const assessments = useLoad(
    () =>
      as<{ assessmentId: string; category: string; confirmedAt: string | null; withdrawnAt: string | null; validUntil: string }[]>(
        api.GET('/advisory/assessments'),
      ),
    [],
  );
  const products = useLoad(() => as<{ items: AdvisoryProduct[] }>(api.GET('/advisory/products')), [assessments.data]);
  const engagements = useLoad(
    () =>
      as<{ engagementId: string; productId: string; status: string; decision: string; riskLevel: string }[]>(
        api.GET('/advisory/engagements'),
      ),
    [],
  );
  const [engagementId, setEngagementId] = useState<string>();
  const action = useAction();
  const start = async (productId: string) => {
    const answer = await action.run(() =>
      as<Engagement>(api.POST('/advisory/engagements', { body: { productId, initiatedBy: 'investor' } as never })),
    );
    if (answer) {
      setEngagementId(answer.engagementId);
      engagements.reload();
    }
  };
  const confirmed = (assessments.data ?? []).find((a) => a.confirmedAt && !a.withdrawnAt);
  return (
    <section aria-labelledby="advisory-h">
      <h2 id="advisory-h">{t('investor.account')}</h2>
      <Loaded state={account}>
        {(a) =>
          a === null ? (
            <OpenAccount onOpened={account.reload} />
          ) : (
            <p className="badge ok">
              {t('investor.accountOpen')} · {a.legalNameMasked}
            </p>
          )
        }
      </Loaded>
      {account.data && (
        <>
          <h2>{t('investor.questionnaire')}</h2>
          {confirmed ? (
            <p>
              {t('investor.category')}: <strong className="category">{confirmed.category}</strong> · {when(confirmed.validUntil)}
            </p>
          ) : (
            <Questionnaire onDone={assessments.reload} />
          )}
          <ProfessionalApply />
        </>
      )}
      {confirmed && (
        <>
          <h2>{t('investor.advisoryProducts')}</h2>
          <ErrorPanel error={action.error} />
          {productFromLink && (
            <div className="card">
              <p>
                <code>{productFromLink}</code>
              </p>
              <button type="button" onClick={() => void start(productFromLink)} disabled={action.busy}>
                {t('investor.start')}
              </button>
            </div>
          )}
          <Loaded state={products} isEmpty={(d) => d.items.length === 0}>
            {(d) => (
              <ul className="cards">
                {d.items.map((p) => (
                  <li key={p.productId} className="card">
                    <h3>{p.title}</h3>
                    <p>{p.description}</p>
                    <p>
                      {t('investor.riskLevel')} {p.riskLevel}
                    </p>
                    <button
                      type="button"
                      onClick={() => void start(p.productId)}
                      disabled={action.busy}
                      aria-label={`${t('investor.start')} ${p.title}`}
                    >
                      {t('investor.start')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Loaded>
          <h2>{t('investor.allEngagements')}</h2>
          <Loaded state={engagements} isEmpty={(d) => d.length === 0}>
            {(list) => (
              <ul className="list">
                {list.map((e) => (
                  <li key={e.engagementId}>
                    <button type="button" className="link" onClick={() => setEngagementId(e.engagementId)}>
                      {e.riskLevel} · {t(`rules.${e.decision}`)} · {e.status}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Loaded>
          {engagementId && <EngagementView key={engagementId} engagementId={engagementId} />}
        </>
      )}
    </section>
  );
};

const Timeline = () => {
  const { t } = useTranslation();
  const timeline = useLoad(() => as<TimelineEvent[] | { items: TimelineEvent[] }>(api.GET('/me/timeline', { params: { query: {} } })), []);
  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">{t('nav.timeline')}</h2>
      <Loaded state={timeline}>
        {(d) => {
          const events = Array.isArray(d) ? d : d.items;
          return events.length === 0 ? (
            <Empty />
          ) : (
            <DataTable
              caption={t('nav.timeline')}
              data={events}
              columns={[
                { header: t('common.at'), cell: ({ row }) => when(row.original.occurredAt ?? row.original.metadata?.occurredAt) },
                { header: t('common.type'), cell: ({ row }) => <code>{row.original.type}</code> },
                {
                  header: t('common.hash'),
                  cell: ({ row }) => <code className="short">{row.original.hash ? `${row.original.hash.slice(0, 16)}…` : '—'}</code>,
                },
              ]}
            />
          );
        }}
      </Loaded>
    </section>
  );
};

export default function InvestorPages({ page }: { page: string; me: Me }) {
  const extra = window.location.hash.split('/')[3];
  if (page === 'advisory') return <Advisory productFromLink={extra} />;
  if (page === 'timeline') return <Timeline />;
  if (page === 'inbox' || page === 'points') return <Suspense fallback={<Loading />}>{page === 'inbox' ? <Inbox /> : <Points />}</Suspense>;
  return <Products />;
}
