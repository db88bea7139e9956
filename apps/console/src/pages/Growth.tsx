/**
 * The product team's growth dashboard (libs/growth's analytics routes): the MAU decomposition of a month with the
 * activity definition it used, DAU/WAU/MAU, retention cohorts, the funnel of a product kind, RFM segments and revenue
 * by family and kind, each a chart over the same figures as its table, with the route's CSV. The charts are drawn by
 * Chart.tsx, which loads the chart library lazily: each section's requests leave as the page renders and its figures
 * and tables show with the data, without waiting for the chart library; its chart follows.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as } from '../api/client';
import type { components } from '../api/schema';
import { beijingDay, beijingMonth, CsvDownload, money, percent } from '../growthUi';
import { DataTable, ErrorPanel, Field, Loaded, useAction, useLoad, when } from '../ui';
import { Chart } from './Chart';

type Schemas = components['schemas'];
type Definition = Schemas['DefinitionUsedDto'];

const PRODUCT_KINDS = [
  'level2_data',
  'course',
  'tool',
  'article',
  'simulated_trading_prop',
  'stock_picking_strategy',
  'trading_strategy',
  'human_advisor_service',
] as const;
const COLORS = ['#0b57d0', '#0d652d', '#b06000', '#a50e0e', '#5e35b1', '#00796b', '#6d4c41'];

const Definitions = ({ definitions }: { definitions: Definition[] }) => {
  const { t } = useTranslation();
  return (
    <p className="muted definitions">
      {t('growth.definitions')}:{' '}
      {definitions.map((d) => (
        <span key={d.version} className="definition" data-version={d.version}>
          v{d.version} ({d.activityTypes.join(', ')}; {d.effectiveFrom})
        </span>
      ))}
    </p>
  );
};

const Figure = ({ label, value, metric }: { label: string; value: number; metric: string }) => (
  <div className="figure" data-metric={metric}>
    <dt>{label}</dt>
    <dd className="value">{value}</dd>
  </div>
);

const Mau = () => {
  const { t } = useTranslation();
  const [month, setMonth] = useState(beijingMonth());
  const day = `${month}-01`;
  const mau = useLoad(() => as<Schemas['MauResponse']>(api.GET('/growth/mau', { params: { query: { month: day } } })), [day]);
  return (
    <section className="card growth-mau" aria-labelledby="mau-h">
      <h3 id="mau-h">{t('growth.mauTitle')}</h3>
      <div className="toolbar">
        <Field label={t('growth.month')}>
          <input type="month" name="month" value={month} onChange={(event) => event.target.value && setMonth(event.target.value)} />
        </Field>
        <CsvDownload path="/growth/mau" query={{ month: day }} name={`mau-${month}`} />
      </div>
      <Loaded state={mau}>
        {(m) => (
          <>
            <dl className="figures">
              <Figure label={t('growth.mau')} value={m.mau} metric="mau" />
              <Figure label={t('growth.mauLastMonth')} value={m.mauLastMonth} metric="mauLastMonth" />
              <Figure label={t('growth.retained')} value={m.retained} metric="retained" />
              <Figure label={t('growth.new')} value={m.new} metric="new" />
              <Figure label={t('growth.returned')} value={m.returned} metric="returned" />
              <Figure label={t('growth.churned')} value={m.churned} metric="churned" />
            </dl>
            <p>
              {t('growth.identity')}: {m.mauLastMonth} − {m.churned} + {m.new} + {m.returned} = {m.mau}{' '}
              <span className={`badge ${m.identityHolds ? 'ok' : 'bad'} identity`}>
                {m.identityHolds ? t('growth.identityHolds') : t('growth.identityBroken')}
              </span>
            </p>
            <Definitions definitions={m.definitions} />
            <Chart
              label={t('growth.mauTitle')}
              type="bar"
              counts
              legend
              category="name"
              data={[
                { name: `${t('growth.lastMonth')} ${m.lastMonth.slice(0, 7)}`, retained: m.retained, churned: m.churned },
                { name: `${t('growth.thisMonth')} ${m.month.slice(0, 7)}`, retained: m.retained, new: m.new, returned: m.returned },
              ]}
              series={[
                { key: 'retained', name: t('growth.retained'), stack: 'a', color: COLORS[0] },
                { key: 'churned', name: t('growth.churned'), stack: 'a', color: COLORS[3] },
                { key: 'new', name: t('growth.new'), stack: 'a', color: COLORS[1] },
                { key: 'returned', name: t('growth.returned'), stack: 'a', color: COLORS[2] },
              ]}
            />
          </>
        )}
      </Loaded>
    </section>
  );
};

const Active = () => {
  const { t } = useTranslation();
  const [day, setDay] = useState(beijingDay());
  const active = useLoad(() => as<Schemas['ActiveUsersResponse']>(api.GET('/growth/active-users', { params: { query: { day } } })), [day]);
  return (
    <section className="card growth-active" aria-labelledby="active-h">
      <h3 id="active-h">{t('growth.activeTitle')}</h3>
      <div className="toolbar">
        <Field label={t('growth.day')}>
          <input type="date" name="day" value={day} onChange={(event) => event.target.value && setDay(event.target.value)} />
        </Field>
        <CsvDownload path="/growth/active-users" query={{ day }} name={`active-users-${day}`} />
      </div>
      <Loaded state={active}>
        {(a) => (
          <>
            <dl className="figures">
              <Figure label={`${t('growth.dau')} ${a.day}`} value={a.dau} metric="dau" />
              <Figure label={`${t('growth.wau')} ${a.week}`} value={a.wau} metric="wau" />
              <Figure label={`${t('growth.mau')} ${a.month}`} value={a.mau} metric="mau" />
            </dl>
            <Definitions definitions={a.definitions} />
          </>
        )}
      </Loaded>
    </section>
  );
};

const Cohorts = () => {
  const { t } = useTranslation();
  const [from, setFrom] = useState(beijingDay(-49));
  const weeks = 8;
  const cohorts = useLoad(() => as<Schemas['CohortResponse']>(api.GET('/growth/cohorts', { params: { query: { from, weeks } } })), [from]);
  return (
    <section className="card growth-cohorts" aria-labelledby="cohorts-h">
      <h3 id="cohorts-h">{t('growth.cohortsTitle')}</h3>
      <div className="toolbar">
        <Field label={t('growth.from')}>
          <input type="date" name="cohortFrom" value={from} onChange={(event) => event.target.value && setFrom(event.target.value)} />
        </Field>
        <CsvDownload path="/growth/cohorts" query={{ from, weeks }} name={`cohorts-${from}`} />
      </div>
      <Loaded state={cohorts}>
        {(c) => (
          <>
            <Chart
              label={t('growth.cohortsTitle')}
              type="line"
              legend
              unit="%"
              category="week"
              data={Array.from({ length: weeks }, (_, n) => ({
                week: t('growth.week', { n }),
                ...Object.fromEntries(
                  c.cohorts
                    .filter((cohort) => cohort.registered > 0 && cohort.activeByWeek[n] !== undefined)
                    .map((cohort) => [cohort.cohortWeek, Math.round((cohort.activeByWeek[n] / cohort.registered) * 1000) / 10]),
                ),
              }))}
              series={c.cohorts
                .filter((cohort) => cohort.registered > 0)
                .map((cohort, i) => ({ key: cohort.cohortWeek, color: COLORS[i % COLORS.length] }))}
            />
            <DataTable
              caption={t('growth.cohortsTitle')}
              data={c.cohorts}
              columns={[
                { header: t('growth.cohortWeek'), cell: ({ row }) => row.original.cohortWeek },
                { header: t('growth.registered'), cell: ({ row }) => row.original.registered },
                ...Array.from({ length: weeks }, (_, n) => ({
                  id: `week${n}`,
                  header: t('growth.week', { n }),
                  cell: ({ row }: { row: { original: Schemas['CohortRowDto'] } }) => {
                    const active = row.original.activeByWeek[n];
                    if (active === undefined) return '—';
                    const share = row.original.registered ? active / row.original.registered : 0;
                    return (
                      <span className="cohort-cell" style={{ background: `rgba(11, 87, 208, ${0.08 + share * 0.5})` }}>
                        {active} · {percent(share)}
                      </span>
                    );
                  },
                })),
              ]}
            />
            <Definitions definitions={c.definitions} />
          </>
        )}
      </Loaded>
    </section>
  );
};

const Funnel = () => {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string>('level2_data');
  const [from, setFrom] = useState(beijingDay(-30));
  const [to, setTo] = useState(beijingDay(1));
  const funnel = useLoad(
    () => as<Schemas['FunnelResponse']>(api.GET('/growth/funnel', { params: { query: { productKind: kind, from, to } } })),
    [kind, from, to],
  );
  return (
    <section className="card growth-funnel" aria-labelledby="funnel-h">
      <h3 id="funnel-h">{t('growth.funnelTitle')}</h3>
      <div className="toolbar">
        <Field label={t('growth.productKind')}>
          <select name="productKind" value={kind} onChange={(event) => setKind(event.target.value)}>
            {PRODUCT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('growth.from')}>
          <input type="date" name="funnelFrom" value={from} onChange={(event) => event.target.value && setFrom(event.target.value)} />
        </Field>
        <Field label={t('growth.to')}>
          <input type="date" name="funnelTo" value={to} onChange={(event) => event.target.value && setTo(event.target.value)} />
        </Field>
        <CsvDownload path="/growth/funnel" query={{ productKind: kind, from, to }} name={`funnel-${kind}-${from}`} />
      </div>
      <Loaded state={funnel}>
        {(f) => {
          const data = f.stages.map((stage) => ({ ...stage, label: t(`growth.stages.${stage.stage}`) }));
          return (
            <>
              <Chart
                label={t('growth.funnelTitle')}
                type="bar"
                height={260}
                across={{ categoryWidth: 120, marginLeft: 40 }}
                counts
                category="label"
                data={data}
                series={[{ key: 'investors', name: t('growth.investors'), color: COLORS[0] }]}
              />
              <DataTable
                caption={`${t('growth.funnelTitle')} · ${f.productKind}`}
                data={data}
                columns={[
                  { header: t('growth.stage'), cell: ({ row }) => row.original.label },
                  { header: t('growth.investors'), cell: ({ row }) => row.original.investors },
                  { header: t('growth.conversion'), cell: ({ row }) => percent(row.original.conversionFromPrevious) },
                  { header: t('growth.medianHours'), cell: ({ row }) => row.original.medianHoursFromPrevious ?? '—' },
                ]}
              />
            </>
          );
        }}
      </Loaded>
    </section>
  );
};

const Rfm = () => {
  const { t } = useTranslation();
  const rfm = useLoad(() => as<Schemas['RfmResponse']>(api.GET('/growth/rfm', { params: { query: {} } })), []);
  const action = useAction();
  return (
    <section className="card growth-rfm" aria-labelledby="rfm-h">
      <h3 id="rfm-h">{t('growth.rfmTitle')}</h3>
      <div className="toolbar">
        <button
          type="button"
          disabled={action.busy}
          onClick={async () => {
            if ((await action.run(() => as(api.POST('/growth/rfm/refresh')))) !== undefined) rfm.reload();
          }}
        >
          {t('growth.rescore')}
        </button>
        <CsvDownload path="/growth/rfm" query={{}} name="rfm" />
      </div>
      <ErrorPanel error={action.error} />
      <Loaded state={rfm}>
        {(r) => {
          const data = r.segments.map((segment) => ({ ...segment, label: t(`growth.segments.${segment.segment}`) }));
          return (
            <>
              <p className="muted">
                {t('growth.scoredAt')}: {when(r.scoredAt)}
              </p>
              <Chart
                label={t('growth.rfmTitle')}
                type="bar"
                counts
                category="label"
                data={data}
                series={[{ key: 'investors', name: t('growth.investors'), color: COLORS[4] }]}
              />
              <DataTable
                caption={t('growth.rfmTitle')}
                data={data}
                columns={[
                  { header: t('growth.segment'), cell: ({ row }) => row.original.label },
                  { header: t('growth.investors'), cell: ({ row }) => row.original.investors },
                  { header: t('growth.monetary'), cell: ({ row }) => money(row.original.monetaryMinor) },
                ]}
              />
            </>
          );
        }}
      </Loaded>
    </section>
  );
};

const Revenue = () => {
  const { t } = useTranslation();
  const [from, setFrom] = useState(`${beijingDay(-365).slice(0, 7)}-01`);
  const [to, setTo] = useState(beijingDay(1));
  const revenue = useLoad(
    () => as<Schemas['RevenueResponse']>(api.GET('/growth/revenue', { params: { query: { from, to } } })),
    [from, to],
  );
  return (
    <section className="card growth-revenue" aria-labelledby="revenue-h">
      <h3 id="revenue-h">{t('growth.revenueTitle')}</h3>
      <div className="toolbar">
        <Field label={t('growth.from')}>
          <input type="date" name="revenueFrom" value={from} onChange={(event) => event.target.value && setFrom(event.target.value)} />
        </Field>
        <Field label={t('growth.to')}>
          <input type="date" name="revenueTo" value={to} onChange={(event) => event.target.value && setTo(event.target.value)} />
        </Field>
        <CsvDownload path="/growth/revenue" query={{ from, to }} name={`revenue-${from}-${to}`} />
      </div>
      <Loaded state={revenue}>
        {(r) => {
          // One bar per month, stacked by family (the chart); the table splits each family by kind.
          const months = [...new Set(r.rows.map((row) => row.month))].sort();
          const data = months.map((month) => {
            const point: Record<string, string | number> = { month };
            for (const row of r.rows.filter((x) => x.month === month))
              point[row.family] = ((point[row.family] as number | undefined) ?? 0) + row.amountMinor / 100;
            return point;
          });
          return (
            <>
              <Chart
                label={t('growth.revenueTitle')}
                type="bar"
                legend
                category="month"
                data={data}
                series={[
                  { key: 'value_added', name: t('growth.families.value_added'), stack: 'f', color: COLORS[1] },
                  { key: 'advisory', name: t('growth.families.advisory'), stack: 'f', color: COLORS[0] },
                ]}
              />
              <DataTable
                caption={t('growth.revenueTitle')}
                data={r.rows}
                columns={[
                  { header: t('growth.month'), cell: ({ row }) => row.original.month },
                  { header: t('growth.family'), cell: ({ row }) => t(`growth.families.${row.original.family}`) },
                  { header: t('growth.kind'), cell: ({ row }) => row.original.kind },
                  { header: t('growth.amount'), cell: ({ row }) => money(row.original.amountMinor, row.original.currency) },
                  { header: t('growth.payments'), cell: ({ row }) => row.original.payments },
                ]}
              />
            </>
          );
        }}
      </Loaded>
    </section>
  );
};

export default function GrowthDashboard() {
  const { t } = useTranslation();
  return (
    // data-slot: the growth page's place in the product team's area (the listing journey's test opens it).
    <section aria-labelledby="growth-h" className="growth" data-slot="growth">
      <h2 id="growth-h">{t('nav.growth')}</h2>
      <Mau />
      <Active />
      <Funnel />
      <Cohorts />
      <Rfm />
      <Revenue />
    </section>
  );
}
