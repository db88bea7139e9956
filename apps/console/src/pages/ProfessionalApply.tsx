/**
 * The investor's application to be classified a professional investor (A2): financial assets or income, experience,
 * and the evidence documents, each sent as the SHA-256 computed here of the file chosen (the file itself stays on the
 * device; the hash is what compliance matches against the document handed over).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as } from '../api/client';
import type { components } from '../api/schema';
import { ErrorPanel, Field, Loaded, useAction, useLoad } from '../ui';

type Account = components['schemas']['AccountResponse'];
const KINDS = ['brokerage_statement', 'bank_statement', 'tax_record'] as const;

const fileHash = async (file: File) => {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
};
const minor = (yuan: string) => (yuan.trim() === '' ? undefined : Math.round(Number(yuan) * 100));

export const ProfessionalApply = () => {
  const { t } = useTranslation();
  const account = useLoad(() => as<Account>(api.GET('/advisory/account')), []);
  const action = useAction();
  const [assets, setAssets] = useState('');
  const [income, setIncome] = useState('');
  const [years, setYears] = useState('0');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('brokerage_statement');
  const [documents, setDocuments] = useState<{ kind: string; name: string; contentHash: string }[]>([]);
  const add = async (files: FileList | null) => {
    const added = await Promise.all([...(files ?? [])].map(async (file) => ({ kind, name: file.name, contentHash: await fileHash(file) })));
    setDocuments((current) => [...current, ...added]);
  };
  const apply = async () => {
    const done = await action.run(() =>
      as(
        api.POST('/advisory/account/professional-applications', {
          body: {
            financialAssetsMinor: minor(assets),
            averageAnnualIncome3yMinor: minor(income),
            experienceYears: Number(years) || 0,
            documents: documents.map(({ kind: documentKind, contentHash }) => ({ kind: documentKind, contentHash })),
          },
        }),
      ),
    );
    if (done !== undefined) account.reload();
  };
  return (
    <Loaded state={account}>
      {(a) =>
        a.classification === 'professional' ? (
          <p className="badge ok professional-status">{t('professionalApply.professional')}</p>
        ) : a.pendingProfessionalApplication ? (
          <p className="badge professional-status">{t('professionalApply.pending')}</p>
        ) : (
          <details className="card professional-apply">
            <summary>{t('professionalApply.title')}</summary>
            <p className="muted">{t('professionalApply.hint')}</p>
            <Field label={t('professionalApply.assets')}>
              <input name="assetsYuan" inputMode="decimal" value={assets} onChange={(event) => setAssets(event.target.value)} />
            </Field>
            <Field label={t('professionalApply.income')}>
              <input name="incomeYuan" inputMode="decimal" value={income} onChange={(event) => setIncome(event.target.value)} />
            </Field>
            <Field label={t('professionalApply.years')}>
              <input
                name="experienceYears"
                type="number"
                min={0}
                max={80}
                value={years}
                onChange={(event) => setYears(event.target.value)}
              />
            </Field>
            <Field label={t('professionalApply.kind')}>
              <select name="documentKind" value={kind} onChange={(event) => setKind(event.target.value as (typeof KINDS)[number])}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('professionalApply.file')}>
              <input name="evidenceFile" type="file" multiple onChange={(event) => void add(event.target.files)} />
            </Field>
            <ul className="evidence-documents">
              {documents.map((document) => (
                <li key={document.contentHash}>
                  {document.kind}: {document.name} <code className="short">{document.contentHash}</code>
                </li>
              ))}
            </ul>
            <ErrorPanel error={action.error} />
            <button type="button" disabled={action.busy} onClick={() => void apply()}>
              {t('professionalApply.submit')}
            </button>
          </details>
        )
      }
    </Loaded>
  );
};
