/** Small pieces the growth pages share: Beijing calendar days, a CSV download of an analytics route, money and percent. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOf, ProblemError, session } from './api/client';
import { ErrorPanel } from './ui';
import './growth.css';
import './i18n-growth';

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Today's Beijing calendar day, or the one `days` from it, as YYYY-MM-DD (the server counts days in Asia/Shanghai). */
export const beijingDay = (days = 0, from = Date.now()) =>
  new Date(from + BEIJING_OFFSET_MS + days * 86_400_000).toISOString().slice(0, 10);
export const beijingMonth = () => beijingDay().slice(0, 7);

export const money = (minor: number, currency = 'CNY') => `${currency === 'CNY' ? '¥' : `${currency} `}${(minor / 100).toFixed(2)}`;
export const percent = (ratio: number | null | undefined) => (ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)}%`);

/**
 * A CSV download of a growth route (`?format=csv`): fetched with the bearer token (a plain link would carry none), then
 * offered as a file the browser saves.
 */
export const CsvDownload = ({ path, query, name }: { path: string; query: Record<string, string | number>; name: string }) => {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>();
  const [file, setFile] = useState<{ url: string; name: string }>();
  const download = async () => {
    setError(undefined);
    const params = new URLSearchParams(Object.entries({ ...query, format: 'csv' }).map(([key, value]) => [key, String(value)]));
    try {
      const response = await fetch(`${path}?${params}`, { headers: { Authorization: `Bearer ${session.token ?? ''}` } });
      const text = await response.text();
      if (!response.ok) {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        throw new ProblemError(problemOf(response.status, body));
      }
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${name}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setFile({ url, name: `${name}.csv` });
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <span className="csv">
      <button type="button" className="link" onClick={() => void download()} aria-label={`${t('growth.csv')}: ${name}`}>
        {t('growth.csv')}
      </button>
      {file && (
        <a href={file.url} download={file.name} className="short">
          {file.name}
        </a>
      )}
      <ErrorPanel error={error} />
    </span>
  );
};
