/** Professional-investor applications in the compliance review queue (A2): the evidence, the maker and the checker. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as } from '../api/client';
import type { components } from '../api/schema';
import type { Me } from '../App';
import { ErrorPanel, Field, Loaded, useAction, useLoad, when } from '../ui';

type Application = components['schemas']['ProfessionalApplicationItem'];

const yuan = (minor: number | undefined) =>
  minor === undefined ? '—' : `¥${(minor / 100).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const ProfessionalApplications = ({ me }: { me: Me }) => {
  const { t } = useTranslation();
  const pending = useLoad(() => as<Application[]>(api.GET('/staff/advisory/professional-applications')), []);
  const action = useAction();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [decided, setDecided] = useState<string>();
  const review = async (application: Application, approve: boolean) => {
    setDecided(undefined);
    const reason = reasons[application.applicationId] ?? '';
    const done = await action.run(() =>
      as(
        api.POST('/staff/advisory/investors/{investorId}/professional-applications/{applicationId}/review', {
          params: { path: { investorId: application.investorId, applicationId: application.applicationId } },
          body: approve ? { approve } : { approve, reason },
        }),
      ),
    );
    if (done !== undefined) {
      setDecided(`${application.applicationId}: ${approve ? t('professional.approved') : t('professional.rejected')}`);
      pending.reload();
    }
  };
  return (
    <section aria-labelledby="professional-h" className="professional-applications">
      <h3 id="professional-h">{t('professional.title')}</h3>
      <ErrorPanel error={action.error} />
      {decided && (
        <p role="status" className="badge ok professional-done">
          {decided}
        </p>
      )}
      <Loaded state={pending} isEmpty={(items) => items.length === 0}>
        {(items) => (
          <ul className="cards professional">
            {items.map((application) => {
              const own = application.appliedBy === me.userId;
              const evidence = application.evidence;
              return (
                <li key={application.applicationId} className="card" data-application={application.applicationId}>
                  <h4>
                    {t('professional.investor')}: {application.legalNameMasked ?? <code>{application.investorId}</code>}
                  </h4>
                  <dl className="facts">
                    <dt>{t('professional.classification')}</dt>
                    <dd>{application.classification}</dd>
                    <dt>{t('professional.category')}</dt>
                    <dd>{application.category ?? '—'}</dd>
                    <dt>{t('professional.assets')}</dt>
                    <dd>{yuan(evidence.financialAssetsMinor)}</dd>
                    <dt>{t('professional.income')}</dt>
                    <dd>{yuan(evidence.averageAnnualIncome3yMinor)}</dd>
                    <dt>{t('professional.experience')}</dt>
                    <dd>{evidence.experienceYears}</dd>
                    <dt>{t('professional.appliedAt')}</dt>
                    <dd>{when(application.appliedAt)}</dd>
                  </dl>
                  <p>{t('professional.documents')}</p>
                  <ul className="evidence-documents">
                    {evidence.documents.map((document) => (
                      <li key={document.contentHash}>
                        {document.kind}: <code className="short">{document.contentHash}</code>
                      </li>
                    ))}
                  </ul>
                  <dl className="maker-checker">
                    <dt>{t('compliance.maker')}</dt>
                    <dd>
                      <code>{application.appliedBy}</code>
                    </dd>
                    <dt>{t('compliance.checker')}</dt>
                    <dd>{own ? <span className="badge bad">{t('professional.selfReview')}</span> : me.displayName}</dd>
                  </dl>
                  <Field label={t('professional.reason')}>
                    <input
                      name={`reason-${application.applicationId}`}
                      value={reasons[application.applicationId] ?? ''}
                      onChange={(event) => setReasons({ ...reasons, [application.applicationId]: event.target.value })}
                    />
                  </Field>
                  <div className="actions">
                    <button type="button" disabled={action.busy} onClick={() => void review(application, true)}>
                      {t('compliance.approve')}
                    </button>
                    <button type="button" disabled={action.busy} onClick={() => void review(application, false)}>
                      {t('compliance.reject')}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Loaded>
    </section>
  );
};
