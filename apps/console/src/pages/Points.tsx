/**
 * The investor's incentives (libs/rewards): the daily check-in with its streak, the points balance, open lots with
 * their expiry and the history, the 猜涨跌 up/down game, and redeeming points into a discount on a value-added product
 * (V2). Points have no cash value (G5).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as, idempotencyKey } from '../api/client';
import type { components } from '../api/schema';
import { beijingDay, money } from '../growthUi';
import { DataTable, ErrorPanel, Field, Loaded, useAction, useLoad, when } from '../ui';

type Schemas = components['schemas'];
// The server's configured indexes (REWARDS_UPDOWN_INDEXES) are not served; these are its defaults, and a code the
// server does not know is refused with UPDOWN.UNKNOWN_INDEX.
const INDEXES = ['000300.SH', '000001.SH'];

/** The next Beijing weekday whose 09:30 cut-off has not passed (the server refuses weekends and closed rounds). */
const nextTradingDay = () => {
  const now = Date.now();
  const beijing = new Date(now + 8 * 3_600_000);
  const beforeCutoff = beijing.getUTCHours() * 60 + beijing.getUTCMinutes() < 9 * 60 + 30;
  for (let days = beforeCutoff ? 0 : 1; days < 8; days++) {
    const day = beijingDay(days, now);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) return day;
  }
  return beijingDay(1, now);
};

/** The investor's analytics consent as it stands (G7), and the one change that applies to it. */
const AnalyticsConsent = () => {
  const { t } = useTranslation();
  const action = useAction();
  const consent = useLoad(() => as<Schemas['AnalyticsConsentResponse']>(api.GET('/me/analytics-consent')), []);
  const set = async (given: boolean) => {
    const answer = await action.run(() => as<Schemas['AnalyticsConsentResponse']>(api.PUT('/me/analytics-consent', { body: { given } })));
    if (answer) consent.reload();
  };
  return (
    <div className="analytics-consent">
      <p className="muted">{t('points.analytics')}</p>
      <Loaded state={consent}>
        {(now) => (
          <>
            <p role="status" className={`badge ${now.analytics === 'given' ? 'ok' : 'muted'}`} data-analytics={now.analytics}>
              {t('points.analyticsNow', { state: t(`points.analyticsState.${now.analytics}`) })}
              {now.since && <> ({t('points.analyticsSince', { at: new Date(now.since).toLocaleString() })})</>}
            </p>
            <div className="actions">
              {now.analytics === 'given' ? (
                <button type="button" disabled={action.busy} onClick={() => void set(false)}>
                  {t('points.withdrawAnalytics')}
                </button>
              ) : (
                <button type="button" disabled={action.busy} onClick={() => void set(true)}>
                  {t('points.giveAnalytics')}
                </button>
              )}
            </div>
          </>
        )}
      </Loaded>
      <ErrorPanel error={action.error} />
    </div>
  );
};

const CheckIn = ({ onDone }: { onDone: () => void }) => {
  const { t } = useTranslation();
  const action = useAction();
  const [result, setResult] = useState<Schemas['CheckInResponse']>();
  return (
    <section className="card check-in" aria-labelledby="checkin-h">
      <h3 id="checkin-h">{t('points.checkInTitle')}</h3>
      <button
        type="button"
        className="primary"
        disabled={action.busy}
        onClick={async () => {
          const answer = await action.run(() => as<Schemas['CheckInResponse']>(api.POST('/me/check-ins')));
          if (answer) {
            setResult(answer);
            onDone();
          }
        }}
      >
        {t('points.checkIn')}
      </button>
      {result && (
        <div role="status" className="checked-in">
          <p className="streak">
            <strong>{t('points.streak', { n: result.streak })}</strong>
          </p>
          <p>
            {t('points.checkedIn', {
              day: result.day,
              points: result.points,
              base: result.basePoints,
              bonus: result.bonusPoints,
              rule: result.qualifyingRule.ruleId,
            })}
          </p>
        </div>
      )}
      <ErrorPanel error={action.error} />
      <AnalyticsConsent />
    </section>
  );
};

/** An entry's detail in words: what an award came from and when it expires, what a spend bought. */
const HistoryDetail = ({ detail }: { detail: Record<string, unknown> }) => {
  const { t } = useTranslation();
  const source = detail.source as { kind?: string; day?: string; streak?: number; roundId?: string; campaignId?: string } | undefined;
  const purpose = detail.purpose as { kind?: string; couponCode?: string } | undefined;
  const parts: string[] = [];
  if (source?.kind === 'check_in') parts.push(t('points.fromCheckIn', { day: source.day, streak: source.streak }));
  else if (source?.kind === 'up_down_game') parts.push(t('points.fromGame', { round: source.roundId }));
  else if (source?.kind === 'campaign') parts.push(t('points.fromCampaign', { campaign: source.campaignId }));
  if (purpose?.kind === 'value_added_discount') parts.push(t('points.forDiscount', { code: purpose.couponCode ?? '' }));
  if (typeof detail.expiresAt === 'string') parts.push(`${t('points.expiresAt')} ${when(detail.expiresAt)}`);
  return <span className="short">{parts.join(' · ') || '—'}</span>;
};

const Balance = ({ points }: { points: Schemas['PointsResponse'] }) => {
  const { t } = useTranslation();
  return (
    <section className="card points-balance" aria-labelledby="balance-h">
      <h3 id="balance-h">{t('points.title')}</h3>
      <p>
        {t('points.balance')}: <strong className="balance">{points.balance}</strong>
      </p>
      <p className="muted">{t('points.noCash')}</p>
      {points.nextExpiry && (
        <p>
          {t('points.nextExpiry')}: {points.nextExpiry.points} · {when(points.nextExpiry.at)}
        </p>
      )}
      <DataTable
        caption={t('points.lots')}
        data={points.lots}
        columns={[
          { header: t('points.remaining'), cell: ({ row }) => row.original.remaining },
          { header: t('points.awardedAt'), cell: ({ row }) => when(row.original.awardedAt) },
          { header: t('points.expiresAt'), cell: ({ row }) => when(row.original.expiresAt) },
        ]}
      />
      <DataTable
        caption={t('points.history')}
        data={points.history}
        columns={[
          { header: t('common.at'), cell: ({ row }) => when(row.original.at) },
          { header: t('points.kind'), cell: ({ row }) => <span className="history-kind">{row.original.kind}</span> },
          { header: t('points.points'), cell: ({ row }) => (row.original.points > 0 ? `+${row.original.points}` : row.original.points) },
          { header: t('points.why'), cell: ({ row }) => <HistoryDetail detail={row.original.detail} /> },
        ]}
      />
    </section>
  );
};

const UpDown = () => {
  const { t } = useTranslation();
  const [indexCode, setIndexCode] = useState(INDEXES[0]);
  const [tradingDay, setTradingDay] = useState(nextTradingDay);
  const [prediction, setPrediction] = useState<Schemas['PredictionResponse']>();
  const action = useAction();
  const roundId = `${indexCode}-${tradingDay}`;
  const round = useLoad(async () => {
    try {
      return await as<Schemas['RoundResponse']>(api.GET('/games/up-down/rounds/{roundId}', { params: { path: { roundId } } }));
    } catch (error) {
      if ((error as { problem?: { status: number } }).problem?.status === 404) return null;
      throw error;
    }
  }, [roundId, prediction]);
  const predict = async (direction: 'up' | 'down') => {
    const answer = await action.run(() =>
      as<Schemas['PredictionResponse']>(api.POST('/games/up-down/predictions', { body: { indexCode, direction, tradingDay } })),
    );
    if (answer) setPrediction(answer);
  };
  return (
    <section className="card up-down" aria-labelledby="updown-h">
      <h3 id="updown-h">{t('points.gameTitle')}</h3>
      <p className="muted">{t('points.gameNote')}</p>
      <div className="toolbar">
        <Field label={t('points.index')}>
          <select name="indexCode" value={indexCode} onChange={(e) => setIndexCode(e.target.value)}>
            {INDEXES.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('points.tradingDay')}>
          <input type="date" name="tradingDay" value={tradingDay} onChange={(e) => e.target.value && setTradingDay(e.target.value)} />
        </Field>
      </div>
      <div className="actions">
        <button type="button" className="up" disabled={action.busy} onClick={() => void predict('up')}>
          ▲ {t('points.up')}
        </button>
        <button type="button" className="down" disabled={action.busy} onClick={() => void predict('down')}>
          ▼ {t('points.down')}
        </button>
      </div>
      {prediction && (
        <p role="status" className="badge ok prediction">
          {t('points.predicted', {
            direction: t(`points.${prediction.direction}`),
            index: prediction.indexCode,
            day: prediction.tradingDay,
            cutoff: when(prediction.cutoffAt),
            points: prediction.rewardPoints,
          })}
        </p>
      )}
      <ErrorPanel error={action.error} />
      <Loaded state={round}>
        {(r) =>
          r && (
            <p className="muted round">
              {t('points.round')} {r.roundId}:{' '}
              {t('points.roundStatus', {
                up: r.predictions.up,
                down: r.predictions.down,
                status: r.outcome
                  ? `${t(`points.roundStates.${r.status}`)} (${t(`points.outcomes.${r.outcome}`)})`
                  : t(`points.roundStates.${r.status}`),
              })}
            </p>
          )
        }
      </Loaded>
    </section>
  );
};

const Redeem = ({ balance, onDone }: { balance: number; onDone: () => void }) => {
  const { t } = useTranslation();
  const options = useLoad(() => as<Schemas['RedemptionOptionsResponse']>(api.GET('/rewards/redemption-options')), []);
  const listings = useLoad(
    () => as<{ items: { listingId: string; title: string }[] }>(api.GET('/catalog/listings', { params: { query: { limit: 100 } } })),
    [],
  );
  const [optionId, setOptionId] = useState('');
  const [listingId, setListingId] = useState('');
  const [coupon, setCoupon] = useState<Schemas['RedemptionResponse']>();
  const action = useAction();
  const chosenOption = optionId || options.data?.options[0]?.optionId || '';
  const chosenListing = listingId || listings.data?.items[0]?.listingId || '';
  return (
    <section className="card redeem" aria-labelledby="redeem-h">
      <h3 id="redeem-h">{t('points.redeemTitle')}</h3>
      <p className="muted">{t('points.redeemNote')}</p>
      <Loaded state={options} isEmpty={(d) => d.options.length === 0}>
        {(o) => (
          <form
            onSubmit={async (event) => {
              event.preventDefault();
              const answer = await action.run(() =>
                as<Schemas['RedemptionResponse']>(
                  api.POST('/me/points/redemptions', {
                    params: { header: { 'Idempotency-Key': idempotencyKey() } },
                    body: { optionId: chosenOption, listingId: chosenListing },
                  }),
                ),
              );
              if (answer) {
                setCoupon(answer);
                onDone();
              }
            }}
          >
            <fieldset>
              <legend>{t('points.option')}</legend>
              {o.options.map((option) => (
                <label key={option.optionId} className="check">
                  <input
                    type="radio"
                    name="optionId"
                    value={option.optionId}
                    checked={chosenOption === option.optionId}
                    onChange={() => setOptionId(option.optionId)}
                  />
                  <span className={option.points > balance ? 'muted' : undefined}>
                    {t('points.optionLabel', {
                      points: option.points,
                      amount: money(option.amountOff.amountMinor, option.amountOff.currency),
                      days: option.validDays,
                    })}
                  </span>
                </label>
              ))}
            </fieldset>
            <Field label={t('points.listing')}>
              <select name="listingId" value={chosenListing} onChange={(e) => setListingId(e.target.value)}>
                {(listings.data?.items ?? []).map((listing) => (
                  <option key={listing.listingId} value={listing.listingId}>
                    {listing.title}
                  </option>
                ))}
              </select>
            </Field>
            <ErrorPanel error={action.error ?? listings.error} />
            <button type="submit" disabled={action.busy || !chosenOption || !chosenListing}>
              {t('points.redeem')}
            </button>
          </form>
        )}
      </Loaded>
      {coupon && (
        <p role="status" className="badge ok coupon">
          {t('points.coupon', {
            code: coupon.couponCode,
            amount: money(coupon.amountOffMinor, coupon.currency),
            until: when(coupon.validUntil),
            balance: coupon.balance,
          })}
        </p>
      )}
    </section>
  );
};

export default function Points() {
  const { t } = useTranslation();
  const points = useLoad(() => as<Schemas['PointsResponse']>(api.GET('/me/points')), []);
  // The ledger's read model follows the write a moment later: read it now and once more shortly after.
  const changed = () => {
    points.reload();
    setTimeout(points.reload, 800);
  };
  return (
    <section aria-labelledby="points-h" className="points">
      <h2 id="points-h">{t('nav.points')}</h2>
      <CheckIn onDone={changed} />
      <Loaded state={points}>{(p) => <Balance points={p} />}</Loaded>
      <UpDown />
      <Redeem balance={points.data?.balance ?? 0} onDone={changed} />
    </section>
  );
}
