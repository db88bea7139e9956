/**
 * The product team's campaigns (libs/reach): create one (segment, channel, a template with the content guard's findings
 * as they type, when it runs, a control group, the outcome it is for), run it, and read its report: reach, opens and
 * the outcome against the control group. The server decides every rule (G1–G4, V2, V3); refusals show the rule.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as } from '../api/client';
import type { components, operations } from '../api/schema';
import { Findings } from '../contentGuard';
import { percent } from '../growthUi';
import { DataTable, Empty, ErrorPanel, Field, Json, Loaded, useAction, useLoad, when } from '../ui';
import { Chart } from './Chart';

type Schemas = components['schemas'];
type CreateCampaign = Schemas['CreateCampaignDto'];
type SegmentKind = Schemas['SegmentDto']['kind'];
type Stage = NonNullable<Schemas['SegmentDto']['stage']>;
type RfmSegment = NonNullable<Schemas['SegmentDto']['segment']>;

const SEGMENTS: SegmentKind[] = ['all_investors', 'inactive', 'churned_last_month', 'rfm', 'funnel_stage', 'holders', 'group_members'];
const RFM: RfmSegment[] = ['champions', 'loyal', 'potential', 'new', 'at_risk', 'hibernating', 'lost'];
const STAGES: Stage[] = ['aware', 'interested', 'learned_rules', 'tried', 'prepared', 'permitted', 'transacted'];
const CHANNELS: CreateCampaign['channel'][] = ['in_app', 'push', 'sms', 'wechat'];
const SCHEDULES: CreateCampaign['schedule']['kind'][] = ['once', 'at', 'index_rise'];

interface Form {
  name: string;
  segment: SegmentKind;
  days: number;
  rfm: RfmSegment;
  productKind: string;
  stage: Stage;
  listingId: string;
  groupId: string;
  channel: CreateCampaign['channel'];
  title: string;
  body: string;
  productId: string;
  incentive: '' | 'points' | 'coupon' | 'discount';
  incentiveRef: string;
  schedule: CreateCampaign['schedule']['kind'];
  at: string;
  indexCode: string;
  risePercent: number;
  controlPercent: number;
  outcome: 'returned' | 'stage';
  outcomeDays: number;
  outcomeKind: string;
  outcomeStage: Stage;
}

const initial: Form = {
  name: '',
  segment: 'all_investors',
  days: 7,
  rfm: 'at_risk',
  productKind: 'course',
  stage: 'interested',
  listingId: '',
  groupId: '',
  channel: 'in_app',
  title: '',
  body: '',
  productId: '',
  incentive: '',
  incentiveRef: '',
  schedule: 'once',
  at: '',
  indexCode: '000001.SH',
  risePercent: 2,
  controlPercent: 10,
  outcome: 'returned',
  outcomeDays: 3,
  outcomeKind: 'course',
  outcomeStage: 'transacted',
};

const bodyOf = (f: Form): CreateCampaign => ({
  name: f.name,
  segment: {
    kind: f.segment,
    ...(f.segment === 'inactive' ? { days: f.days } : {}),
    ...(f.segment === 'rfm' ? { segment: f.rfm } : {}),
    ...(f.segment === 'funnel_stage' ? { productKind: f.productKind, stage: f.stage } : {}),
    ...(f.segment === 'holders' ? { listingId: f.listingId } : {}),
    ...(f.segment === 'group_members' ? { groupId: f.groupId.trim() } : {}),
  },
  channel: f.channel,
  template: {
    title: f.title,
    body: f.body,
    ...(f.productId.trim() ? { productId: f.productId.trim() } : {}),
    ...(f.incentive ? { incentive: { kind: f.incentive, reference: f.incentiveRef } } : {}),
  },
  schedule: {
    kind: f.schedule,
    ...(f.schedule === 'at' && f.at ? { at: new Date(f.at).toISOString() } : {}),
    ...(f.schedule === 'index_rise' ? { indexCode: f.indexCode, risePercent: f.risePercent } : {}),
  },
  controlPercent: f.controlPercent,
  outcome: {
    kind: f.outcome,
    days: f.outcomeDays,
    ...(f.outcome === 'stage' ? { productKind: f.outcomeKind, stage: f.outcomeStage } : {}),
  },
});

const Options = <T extends string>({ values, label }: { values: readonly T[]; label: (value: T) => string }) => (
  <>
    {values.map((value) => (
      <option key={value} value={value}>
        {label(value)}
      </option>
    ))}
  </>
);

const NewCampaign = ({ onCreated }: { onCreated: (campaignId: string) => void }) => {
  const { t } = useTranslation();
  const [f, setF] = useState<Form>(initial);
  const set = (patch: Partial<Form>) => setF({ ...f, ...patch });
  const action = useAction();
  return (
    <form
      className="card campaign-editor"
      onSubmit={async (event) => {
        event.preventDefault();
        const created = await action.run(() => as<Schemas['CampaignRunResponse']>(api.POST('/reach/campaigns', { body: bodyOf(f) })));
        if (created) {
          onCreated(created.campaignId);
          setF(initial);
        }
      }}
    >
      <h3>{t('campaigns.newTitle')}</h3>
      <p className="muted">{t('campaigns.rulesNote')}</p>
      <Field label={t('campaigns.name')}>
        <input name="name" required value={f.name} onChange={(e) => set({ name: e.target.value })} />
      </Field>
      <fieldset className="toolbar">
        <legend>{t('campaigns.segment')}</legend>
        <Field label={t('campaigns.segment')}>
          <select name="segment" value={f.segment} onChange={(e) => set({ segment: e.target.value as SegmentKind })}>
            <Options values={SEGMENTS} label={(v) => t(`campaigns.segmentKinds.${v}`)} />
          </select>
        </Field>
        {f.segment === 'inactive' && (
          <Field label={t('campaigns.days')}>
            <input
              type="number"
              name="segmentDays"
              min={1}
              max={365}
              value={f.days}
              onChange={(e) => set({ days: Number(e.target.value) })}
            />
          </Field>
        )}
        {f.segment === 'rfm' && (
          <Field label={t('campaigns.rfmSegment')}>
            <select name="rfmSegment" value={f.rfm} onChange={(e) => set({ rfm: e.target.value as RfmSegment })}>
              <Options values={RFM} label={(v) => t(`growth.segments.${v}`)} />
            </select>
          </Field>
        )}
        {f.segment === 'funnel_stage' && (
          <>
            <Field label={t('growth.productKind')}>
              <input name="segmentProductKind" value={f.productKind} onChange={(e) => set({ productKind: e.target.value })} />
            </Field>
            <Field label={t('campaigns.stage')}>
              <select name="segmentStage" value={f.stage} onChange={(e) => set({ stage: e.target.value as Stage })}>
                <Options values={STAGES} label={(v) => t(`growth.stages.${v}`)} />
              </select>
            </Field>
          </>
        )}
        {f.segment === 'holders' && (
          <Field label={t('campaigns.listingId')}>
            <input name="segmentListing" value={f.listingId} onChange={(e) => set({ listingId: e.target.value })} />
          </Field>
        )}
        {f.segment === 'group_members' && (
          <Field label={t('campaigns.groupId')}>
            <input name="segmentGroup" value={f.groupId} onChange={(e) => set({ groupId: e.target.value })} />
          </Field>
        )}
      </fieldset>
      <Field label={t('campaigns.channel')}>
        <select name="channel" value={f.channel} onChange={(e) => set({ channel: e.target.value as Form['channel'] })}>
          <Options values={CHANNELS} label={(v) => t(`campaigns.channels.${v}`)} />
        </select>
      </Field>
      <Field label={t('campaigns.templateTitle')}>
        <input name="templateTitle" required maxLength={100} value={f.title} onChange={(e) => set({ title: e.target.value })} />
      </Field>
      <Field label={t('campaigns.templateBody')}>
        <textarea name="templateBody" required maxLength={2000} value={f.body} onChange={(e) => set({ body: e.target.value })} />
      </Field>
      <Findings texts={[f.title, f.body, f.incentiveRef]} okLabel={t('compliance.noFindings')} title={t('compliance.findings')} />
      <div className="toolbar">
        <Field label={t('campaigns.productId')}>
          <input name="productId" value={f.productId} onChange={(e) => set({ productId: e.target.value })} />
        </Field>
        <Field label={t('campaigns.incentive')}>
          <select name="incentive" value={f.incentive} onChange={(e) => set({ incentive: e.target.value as Form['incentive'] })}>
            <option value="">{t('campaigns.incentiveNone')}</option>
            <Options values={['points', 'coupon', 'discount'] as const} label={(v) => v} />
          </select>
        </Field>
        {f.incentive && (
          <Field label={t('campaigns.incentiveRef')}>
            <input name="incentiveRef" value={f.incentiveRef} onChange={(e) => set({ incentiveRef: e.target.value })} />
          </Field>
        )}
      </div>
      <fieldset className="toolbar">
        <legend>{t('campaigns.schedule')}</legend>
        <Field label={t('campaigns.schedule')}>
          <select name="schedule" value={f.schedule} onChange={(e) => set({ schedule: e.target.value as Form['schedule'] })}>
            <Options values={SCHEDULES} label={(v) => t(`campaigns.scheduleKinds.${v}`)} />
          </select>
        </Field>
        {f.schedule === 'at' && (
          <Field label={t('campaigns.at')}>
            <input type="datetime-local" name="at" value={f.at} onChange={(e) => set({ at: e.target.value })} />
          </Field>
        )}
        {f.schedule === 'index_rise' && (
          <>
            <Field label={t('campaigns.indexCode')}>
              <input name="indexCode" value={f.indexCode} onChange={(e) => set({ indexCode: e.target.value })} />
            </Field>
            <Field label={t('campaigns.risePercent')}>
              <input
                type="number"
                name="risePercent"
                step={0.01}
                min={0.01}
                max={20}
                value={f.risePercent}
                onChange={(e) => set({ risePercent: Number(e.target.value) })}
              />
            </Field>
          </>
        )}
        <Field label={t('campaigns.control')}>
          <input
            type="number"
            name="controlPercent"
            min={0}
            max={50}
            value={f.controlPercent}
            onChange={(e) => set({ controlPercent: Number(e.target.value) })}
          />
        </Field>
      </fieldset>
      <fieldset className="toolbar">
        <legend>{t('campaigns.outcome')}</legend>
        <Field label={t('campaigns.outcome')}>
          <select name="outcome" value={f.outcome} onChange={(e) => set({ outcome: e.target.value as Form['outcome'] })}>
            <Options values={['returned', 'stage'] as const} label={(v) => t(`campaigns.outcomeKinds.${v}`)} />
          </select>
        </Field>
        <Field label={t('campaigns.outcomeDays')}>
          <input
            type="number"
            name="outcomeDays"
            min={1}
            max={90}
            value={f.outcomeDays}
            onChange={(e) => set({ outcomeDays: Number(e.target.value) })}
          />
        </Field>
        {f.outcome === 'stage' && (
          <>
            <Field label={t('growth.productKind')}>
              <input name="outcomeProductKind" value={f.outcomeKind} onChange={(e) => set({ outcomeKind: e.target.value })} />
            </Field>
            <Field label={t('campaigns.stage')}>
              <select name="outcomeStage" value={f.outcomeStage} onChange={(e) => set({ outcomeStage: e.target.value as Stage })}>
                <Options values={STAGES} label={(v) => t(`growth.stages.${v}`)} />
              </select>
            </Field>
          </>
        )}
      </fieldset>
      <ErrorPanel error={action.error} />
      <button type="submit" disabled={action.busy}>
        {t('campaigns.create')}
      </button>
    </form>
  );
};

const Report = ({ campaignId, version }: { campaignId: string; version: number }) => {
  const { t } = useTranslation();
  const report = useLoad(
    () => as<Schemas['CampaignReportResponse']>(api.GET('/reach/campaigns/{campaignId}/report', { params: { path: { campaignId } } })),
    [campaignId, version],
  );
  return (
    <Loaded state={report}>
      {(r) => {
        const counts: [string, string, number][] = [
          ['attempted', t('campaigns.attempted'), r.reach.attempted],
          ['sent', t('campaigns.sent'), r.reach.sent],
          ['delivered', t('campaigns.delivered'), r.reach.delivered],
          ['failed', t('campaigns.failed'), r.reach.failed],
          ['withheld', t('campaigns.withheld'), r.reach.withheldAtCaps],
          ['opened', t('campaigns.opened'), r.opened],
        ];
        const outcome = r.outcome;
        return (
          <div className="campaign-report">
            <h4>{t('campaigns.report')}</h4>
            <dl className="figures">
              {counts.map(([metric, label, value]) => (
                <div key={metric} className="figure" data-metric={metric}>
                  <dt>{label}</dt>
                  <dd className="value">{value}</dd>
                </div>
              ))}
              <div className="figure" data-metric="openRate">
                <dt>{t('campaigns.openRate')}</dt>
                <dd className="value">{percent(r.openRate)}</dd>
              </div>
            </dl>
            {Object.keys(r.reach.refused).length > 0 && (
              <p>
                {t('campaigns.refused')}:{' '}
                {Object.entries(r.reach.refused).map(([code, n]) => (
                  <span key={code} className="code refused">
                    {code} × {n}{' '}
                  </span>
                ))}
              </p>
            )}
            {outcome && (
              <>
                <p>
                  {t('campaigns.outcome')}: {t(`campaigns.outcomeKinds.${outcome.kind}`)} · {outcome.days} {t('campaigns.outcomeDays')} ·{' '}
                  {t('campaigns.window')} {when(outcome.window.from)} – {when(outcome.window.to)} (
                  {outcome.window.complete ? t('campaigns.final') : t('campaigns.open_')})
                </p>
                <Chart
                  label={t('campaigns.outcome')}
                  height={200}
                  type="bar"
                  category="group"
                  data={[
                    { group: t('campaigns.recipients'), rate: outcome.recipients.rate * 100 },
                    { group: t('campaigns.controlGroup'), rate: outcome.control.rate * 100 },
                  ]}
                  series={[{ key: 'rate', name: t('campaigns.rate'), color: '#0b57d0' }]}
                  legend
                  unit="%"
                />
                <DataTable
                  caption={t('campaigns.outcome')}
                  data={[
                    { group: t('campaigns.recipients'), ...outcome.recipients },
                    { group: t('campaigns.controlGroup'), ...outcome.control },
                  ]}
                  columns={[
                    { header: t('growth.segment'), cell: ({ row }) => row.original.group },
                    { header: t('growth.investors'), cell: ({ row }) => row.original.investors },
                    { header: t('campaigns.converted'), cell: ({ row }) => row.original.converted },
                    { header: t('campaigns.rate'), cell: ({ row }) => percent(row.original.rate) },
                  ]}
                />
                <p className="lift">
                  {t('campaigns.lift')}: <strong>{percent(outcome.lift)}</strong>
                </p>
              </>
            )}
          </div>
        );
      }}
    </Loaded>
  );
};

const CampaignDetail = ({ campaignId, onChanged }: { campaignId: string; onChanged: () => void }) => {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const campaign = useLoad(
    () => as<Schemas['CampaignView']>(api.GET('/reach/campaigns/{campaignId}', { params: { path: { campaignId } } })),
    [campaignId, version],
  );
  const action = useAction();
  const [deferred, setDeferred] = useState<string | null>(null);
  return (
    <section className="card campaign" aria-label={campaignId} data-campaign={campaignId}>
      <Loaded state={campaign}>
        {(c) => (
          <>
            <h3>
              {c.name} · <span className="campaign-status">{c.status}</span>
            </h3>
            <p className="muted">
              <code>{c.campaignId}</code> · {when(c.createdAt)} · {c.startedAt ? `${when(c.startedAt)} (${c.startReason ?? ''})` : ''}
            </p>
            <details>
              <summary>
                {t('campaigns.segment')} · {t('campaigns.channel')} · {t('campaigns.schedule')}
              </summary>
              <Json value={c.spec} />
            </details>
            <div className="actions">
              {c.status !== 'completed' && c.status !== 'running' && (
                <button
                  type="button"
                  className="primary"
                  disabled={action.busy}
                  onClick={async () => {
                    const ran = await action.run(() =>
                      as<Schemas['CampaignRunResponse']>(
                        api.POST('/reach/campaigns/{campaignId}/run', { params: { path: { campaignId } } }),
                      ),
                    );
                    if (ran) {
                      setDeferred(ran.deferredUntil ?? null);
                      setVersion(version + 1);
                      onChanged();
                    }
                  }}
                >
                  {t('campaigns.run')}
                </button>
              )}
              <button
                type="button"
                onClick={() => {
                  setVersion(version + 1);
                  onChanged();
                }}
              >
                {t('campaigns.refresh')}
              </button>
            </div>
            {deferred && (
              <p className="badge bad">
                {t('campaigns.deferred')} {when(deferred)}
              </p>
            )}
            <ErrorPanel error={action.error} />
            <Report campaignId={campaignId} version={version} />
          </>
        )}
      </Loaded>
    </section>
  );
};

type CampaignStatus = NonNullable<NonNullable<operations['CampaignsController_campaigns']['parameters']['query']>['status']>;
const STATUSES: CampaignStatus[] = ['scheduled', 'running', 'completed'];

/** The server's list of campaigns, the newest first, a page at a time; one of them opened below it. */
export default function Campaigns() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<CampaignStatus | ''>('');
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<string | undefined>();
  const [version, setVersion] = useState(0);
  const cursor = pages[pages.length - 1];
  const list = useLoad(
    () =>
      as<Schemas['CampaignListResponse']>(
        api.GET('/reach/campaigns', { params: { query: { limit: 20, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } } }),
      ),
    [status, cursor, version],
  );
  const shown = selected ?? list.data?.items[0]?.campaignId;
  return (
    <section aria-labelledby="campaigns-h" className="campaigns">
      <h2 id="campaigns-h">{t('nav.campaigns')}</h2>
      <section className="card" aria-labelledby="known-h">
        <h3 id="known-h">{t('campaigns.listTitle')}</h3>
        <div className="toolbar">
          <Field label={t('campaigns.status')}>
            <select
              name="status"
              value={status}
              onChange={(event) => {
                setStatus(event.target.value as CampaignStatus | '');
                setPages([undefined]);
              }}
            >
              <option value="">{t('campaigns.anyStatus')}</option>
              {STATUSES.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Loaded state={list}>
          {(page) =>
            page.items.length === 0 ? (
              <Empty />
            ) : (
              <>
                <ul className="list campaign-list">
                  {page.items.map((c) => (
                    <li key={c.campaignId}>
                      <button
                        type="button"
                        className="link"
                        aria-current={c.campaignId === shown ? 'true' : undefined}
                        onClick={() => setSelected(c.campaignId)}
                      >
                        {c.name} · {c.status}
                      </button>{' '}
                      <span className="muted">
                        {when(c.createdAt)} · {c.channel ?? ''} · {t('campaigns.sentOpened', { sent: c.sent, opened: c.opened })}
                      </span>
                    </li>
                  ))}
                </ul>
                <div className="actions">
                  {pages.length > 1 && (
                    <button type="button" onClick={() => setPages(pages.slice(0, -1))}>
                      ←
                    </button>
                  )}
                  {page.nextCursor && (
                    <button type="button" onClick={() => setPages([...pages, page.nextCursor ?? undefined])}>
                      {t('common.next')}
                    </button>
                  )}
                </div>
              </>
            )
          }
        </Loaded>
      </section>
      {shown && <CampaignDetail key={shown} campaignId={shown} onChanged={() => setVersion((n) => n + 1)} />}
      <NewCampaign
        onCreated={(id) => {
          setPages([undefined]);
          setSelected(id);
          setVersion((n) => n + 1);
        }}
      />
    </section>
  );
}
