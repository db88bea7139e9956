/** The product team's pages: listings and plans through review, the growth dashboard and campaigns. */
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as } from '../api/client';
import type { Me } from '../App';
import { Findings } from '../contentGuard';
import { DataTable, ErrorPanel, Field, lazyPage, Loaded, Loading, useAction, useLoad } from '../ui';

// The growth pages are chunks of their own (the chart library comes only with a chart), loaded when opened.
const GrowthDashboard = lazyPage(() => import('./Growth'));
const Campaigns = lazyPage(() => import('./Campaigns'));

/** The chunk of the page named, when it has one: App.tsx loads it with this area's, so both render in one pass. */
export const preload = (page: string | undefined) =>
  page === 'growth' ? GrowthDashboard.preload() : page === 'campaigns' ? Campaigns.preload() : undefined;

const KINDS = [
  'level2_data',
  'course',
  'tool',
  'article',
  'simulated_trading_prop',
  'live_stream_tipping_target',
  'stock_picking_strategy',
  'trading_strategy',
  'human_advisor_service',
] as const;
const ADVISORY_KINDS: readonly string[] = ['stock_picking_strategy', 'trading_strategy', 'human_advisor_service'];
const PERIODS = ['month', 'quarter', 'year', 'one_off'] as const;
const LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
const FACTORS = ['liquidity', 'principalLoss', 'complexity', 'leverage'] as const;

interface PlanForm {
  planId: string;
  name: string;
  priceMinor: number;
  currency: string;
  billingPeriod: (typeof PERIODS)[number];
}
interface Terms {
  riskLevel: string;
  riskFactors: Record<string, number>;
  horizon: string;
  varieties: string;
  advisorName: string;
  sacRegistrationCode: string;
  feeBasis: string;
  riskDisclosureVersion: string;
  contractVersion: string;
}
interface Listing {
  listingId: string;
  status: string;
  family: string;
  kind: (typeof KINDS)[number];
  title: string;
  description: string;
  plans: PlanForm[];
  riskLevel: string | null;
  reviewNote: string | null;
  advisory?: {
    riskLevel?: string;
    riskFactors?: Record<string, number>;
    horizon?: string;
    varieties?: string[];
    advisors?: { name: string; sacRegistrationCode: string }[];
    feeBasis?: string;
    riskDisclosureVersion?: string;
    contractVersion?: string;
  } | null;
  pendingRatingChange: unknown;
}

const emptyTerms = (): Terms => ({
  riskLevel: 'R3',
  riskFactors: { liquidity: 3, principalLoss: 3, complexity: 3, leverage: 1 },
  horizon: 'medium',
  varieties: 'equities',
  advisorName: '',
  sacRegistrationCode: '',
  feeBasis: 'fixed_subscription',
  riskDisclosureVersion: 'RD-2025.1',
  contractVersion: 'AC-2025.1',
});
const termsOf = (listing: Listing): Terms => {
  const a = listing.advisory;
  if (!a) return emptyTerms();
  return {
    riskLevel: a.riskLevel ?? 'R3',
    riskFactors: { ...emptyTerms().riskFactors, ...a.riskFactors },
    horizon: a.horizon ?? 'medium',
    varieties: (a.varieties ?? []).join(','),
    advisorName: a.advisors?.[0]?.name ?? '',
    sacRegistrationCode: a.advisors?.[0]?.sacRegistrationCode ?? '',
    feeBasis: a.feeBasis ?? '',
    riskDisclosureVersion: a.riskDisclosureVersion ?? '',
    contractVersion: a.contractVersion ?? '',
  };
};

const RiskFactorSheet = ({ factors, onChange }: { factors: Record<string, number>; onChange: (next: Record<string, number>) => void }) => {
  const { t } = useTranslation();
  return (
    <fieldset className="risk-factors">
      <legend>{t('product.riskFactors')} (1–5)</legend>
      {FACTORS.map((factor) => (
        <Field key={factor} label={factor}>
          <input
            type="number"
            min={1}
            max={5}
            name={`factor-${factor}`}
            value={factors[factor] ?? ''}
            onChange={(event) => onChange({ ...factors, [factor]: Number(event.target.value) })}
          />
        </Field>
      ))}
    </fieldset>
  );
};

const Editor = ({ listing, onSaved }: { listing?: Listing; onSaved: () => void }) => {
  const { t } = useTranslation();
  const [kind, setKind] = useState<(typeof KINDS)[number]>(listing?.kind ?? 'course');
  const [title, setTitle] = useState(listing?.title ?? '');
  const [description, setDescription] = useState(listing?.description ?? '');
  const [plans, setPlans] = useState<PlanForm[]>(
    listing?.plans.map(({ planId, name, priceMinor, currency, billingPeriod }) => ({
      planId,
      name,
      priceMinor,
      currency,
      billingPeriod,
    })) ?? [{ planId: 'monthly', name: '月度', priceMinor: 3000, currency: 'CNY', billingPeriod: 'month' }],
  );
  const [terms, setTerms] = useState<Terms>(listing ? termsOf(listing) : emptyTerms());
  const action = useAction();
  const advisory = ADVISORY_KINDS.includes(kind);
  const setPlan = (index: number, patch: Partial<PlanForm>) =>
    setPlans(plans.map((plan, i) => (i === index ? { ...plan, ...patch } : plan)));
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const body = {
      kind,
      title,
      description,
      plans,
      ...(advisory
        ? {
            advisory: {
              riskLevel: terms.riskLevel,
              riskFactors: terms.riskFactors,
              horizon: terms.horizon,
              varieties: terms.varieties
                .split(',')
                .map((v) => v.trim())
                .filter(Boolean),
              advisors: terms.advisorName ? [{ name: terms.advisorName, sacRegistrationCode: terms.sacRegistrationCode }] : [],
              feeBasis: terms.feeBasis,
              riskDisclosureVersion: terms.riskDisclosureVersion,
              contractVersion: terms.contractVersion,
            } as never /* the document types `advisory` as a bare object */,
          }
        : {}),
    };
    const done = await action.run(() =>
      listing
        ? as(api.PUT('/catalog/listings/{listingId}', { params: { path: { listingId: listing.listingId } }, body }))
        : as(api.POST('/catalog/listings', { body })),
    );
    if (done !== undefined) onSaved();
  };
  return (
    <form className="card editor" onSubmit={save}>
      <h3>{listing ? `${t('product.edit')}: ${listing.title}` : t('product.newListing')}</h3>
      <Field label={t('product.kind')}>
        <select name="kind" value={kind} onChange={(event) => setKind(event.target.value as (typeof KINDS)[number])} disabled={!!listing}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('common.title')}>
        <input name="title" value={title} onChange={(event) => setTitle(event.target.value)} required />
      </Field>
      <Field label={t('product.description')}>
        <textarea name="description" value={description} onChange={(event) => setDescription(event.target.value)} />
      </Field>
      <Findings
        texts={[title, description, ...plans.map((plan) => plan.name)]}
        okLabel={t('compliance.noFindings')}
        title={t('compliance.findings')}
      />
      {plans.map((plan, index) => (
        <fieldset key={index} className="toolbar">
          <legend>
            {t('investor.plan')} {index + 1}
          </legend>
          <Field label={t('product.planId')}>
            <input name={`plan-${index}-id`} value={plan.planId} onChange={(event) => setPlan(index, { planId: event.target.value })} />
          </Field>
          <Field label={t('product.planName')}>
            <input name={`plan-${index}-name`} value={plan.name} onChange={(event) => setPlan(index, { name: event.target.value })} />
          </Field>
          <Field label={t('product.price')}>
            <input
              type="number"
              name={`plan-${index}-price`}
              value={plan.priceMinor}
              onChange={(event) => setPlan(index, { priceMinor: Number(event.target.value) })}
            />
          </Field>
          <Field label={t('product.period')}>
            <select
              name={`plan-${index}-period`}
              value={plan.billingPeriod}
              onChange={(event) => setPlan(index, { billingPeriod: event.target.value as PlanForm['billingPeriod'] })}
            >
              {PERIODS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </Field>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() =>
          setPlans([...plans, { planId: `plan${plans.length + 1}`, name: '', priceMinor: 0, currency: 'CNY', billingPeriod: 'month' }])
        }
      >
        + {t('investor.plan')}
      </button>
      {advisory && (
        <fieldset className="terms">
          <legend>{t('product.terms')} (L3)</legend>
          <Field label={t('investor.riskLevel')}>
            <select name="riskLevel" value={terms.riskLevel} onChange={(event) => setTerms({ ...terms, riskLevel: event.target.value })}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </Field>
          <RiskFactorSheet factors={terms.riskFactors} onChange={(riskFactors) => setTerms({ ...terms, riskFactors })} />
          <Field label={t('product.horizon')}>
            <select name="horizon" value={terms.horizon} onChange={(event) => setTerms({ ...terms, horizon: event.target.value })}>
              {['short', 'medium', 'long'].map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('product.varieties')}>
            <input name="varieties" value={terms.varieties} onChange={(event) => setTerms({ ...terms, varieties: event.target.value })} />
          </Field>
          <Field label={t('product.advisorName')}>
            <input
              name="advisorName"
              value={terms.advisorName}
              onChange={(event) => setTerms({ ...terms, advisorName: event.target.value })}
            />
          </Field>
          <Field label={t('product.sac')}>
            <input
              name="sac"
              value={terms.sacRegistrationCode}
              onChange={(event) => setTerms({ ...terms, sacRegistrationCode: event.target.value })}
            />
          </Field>
          <Field label={t('product.feeBasis')}>
            <input name="feeBasis" value={terms.feeBasis} onChange={(event) => setTerms({ ...terms, feeBasis: event.target.value })} />
          </Field>
        </fieldset>
      )}
      <ErrorPanel error={action.error} />
      <button type="submit" disabled={action.busy}>
        {listing ? t('product.update') : t('product.create')}
      </button>
    </form>
  );
};

const RatingChange = ({ listing, onDone }: { listing: Listing; onDone: () => void }) => {
  const { t } = useTranslation();
  const [riskLevel, setRiskLevel] = useState<(typeof LEVELS)[number]>('R4');
  const [factors, setFactors] = useState<Record<string, number>>({ ...emptyTerms().riskFactors, ...listing.advisory?.riskFactors });
  const [reason, setReason] = useState('');
  const action = useAction();
  return (
    <form
      className="card"
      onSubmit={async (event) => {
        event.preventDefault();
        const done = await action.run(() =>
          as(
            api.POST('/catalog/listings/{listingId}/risk-rating-changes', {
              params: { path: { listingId: listing.listingId } },
              body: { riskLevel, riskFactors: factors as never, reason },
            }),
          ),
        );
        if (done !== undefined) onDone();
      }}
    >
      <h3>
        {t('product.proposeRating')}: {listing.title}
      </h3>
      <Field label={t('investor.riskLevel')}>
        <select name="newRiskLevel" value={riskLevel} onChange={(event) => setRiskLevel(event.target.value as (typeof LEVELS)[number])}>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </Field>
      <RiskFactorSheet factors={factors} onChange={setFactors} />
      <Field label={t('product.reason')}>
        <input name="ratingReason" value={reason} onChange={(event) => setReason(event.target.value)} required />
      </Field>
      <ErrorPanel error={action.error} />
      <button type="submit">{t('common.submit')}</button>
    </form>
  );
};

const Listings = () => {
  const { t } = useTranslation();
  const listings = useLoad(() => as<{ items: Listing[] }>(api.GET('/catalog/manage/listings', { params: { query: { limit: 100 } } })), []);
  const [editing, setEditing] = useState<Listing | 'new'>();
  const [rating, setRating] = useState<Listing>();
  const action = useAction();
  const act = async (call: () => Promise<unknown>) => {
    if ((await action.run(call)) !== undefined) listings.reload();
  };
  return (
    <section aria-labelledby="listings-h">
      <h2 id="listings-h">{t('nav.listings')}</h2>
      <button type="button" className="primary" onClick={() => setEditing('new')}>
        {t('product.newListing')}
      </button>
      {editing && (
        <Editor
          key={editing === 'new' ? 'new' : editing.listingId}
          listing={editing === 'new' ? undefined : editing}
          onSaved={() => {
            setEditing(undefined);
            listings.reload();
          }}
        />
      )}
      {rating && (
        <RatingChange
          listing={rating}
          onDone={() => {
            setRating(undefined);
            listings.reload();
          }}
        />
      )}
      <ErrorPanel error={action.error} />
      <Loaded state={listings}>
        {(d) => (
          <DataTable
            caption={t('nav.listings')}
            data={d.items}
            columns={[
              { header: t('common.title'), cell: ({ row }) => row.original.title },
              { header: t('product.kind'), cell: ({ row }) => row.original.kind },
              { header: t('common.status'), cell: ({ row }) => <span className="listing-status">{row.original.status}</span> },
              { header: t('investor.riskLevel'), cell: ({ row }) => row.original.riskLevel ?? '—' },
              {
                header: t('common.actions'),
                cell: ({ row }) => {
                  const l = row.original;
                  const path = { params: { path: { listingId: l.listingId } } };
                  return (
                    <div className="actions">
                      {['draft', 'rejected', 'approved', 'published'].includes(l.status) && (
                        <button type="button" onClick={() => setEditing(l)}>
                          {t('product.edit')}
                        </button>
                      )}
                      {['draft', 'rejected'].includes(l.status) && (
                        <button type="button" onClick={() => void act(() => as(api.POST('/catalog/listings/{listingId}/submit', path)))}>
                          {t('product.submitForReview')}
                        </button>
                      )}
                      {l.status === 'approved' && (
                        <button type="button" onClick={() => void act(() => as(api.POST('/catalog/listings/{listingId}/publish', path)))}>
                          {t('product.publish')}
                        </button>
                      )}
                      {l.status === 'published' && (
                        <button
                          type="button"
                          onClick={() =>
                            void act(() =>
                              as(
                                api.POST('/catalog/listings/{listingId}/retire', { ...path, body: { reason: 'retired from the console' } }),
                              ),
                            )
                          }
                        >
                          {t('product.retire')}
                        </button>
                      )}
                      {l.family === 'advisory' && l.status === 'published' && !l.pendingRatingChange && (
                        <button type="button" onClick={() => setRating(l)}>
                          {t('product.proposeRating')}
                        </button>
                      )}
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
};

export default function ProductPages({ page }: { page: string; me: Me }) {
  if (page === 'growth' || page === 'campaigns') {
    return <Suspense fallback={<Loading />}>{page === 'growth' ? <GrowthDashboard /> : <Campaigns />}</Suspense>;
  }
  return <Listings />;
}
