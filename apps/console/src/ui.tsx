/** Shared pieces: loading, empty and error states (the server's code, message and rule), a table, the E5 reason gate. */
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { lazy, useCallback, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError, type ApiProblem } from './api/client';

export const Loading = () => {
  const { t } = useTranslation();
  return (
    <p role="status" aria-live="polite" className="muted">
      {t('state.loading')}
    </p>
  );
};

export const Empty = ({ children }: { children?: ReactNode }) => {
  const { t } = useTranslation();
  return <p className="muted empty">{children ?? t('state.empty')}</p>;
};

export const toProblem = (error: unknown): ApiProblem =>
  error instanceof ProblemError ? error.problem : { status: 0, code: 'CONSOLE.UNEXPECTED', message: String(error) };

export const ErrorPanel = ({ error }: { error: unknown }) => {
  const { t } = useTranslation();
  if (!error) return null;
  const problem = toProblem(error);
  const violations = problem.details?.violations ?? [];
  return (
    <div role="alert" className="error-panel" data-code={problem.code}>
      <strong>{t('state.error')}</strong>
      <dl>
        <dt>{t('state.code')}</dt>
        <dd className="code">{problem.code}</dd>
        {problem.rule && (
          <>
            <dt>{t('state.rule')}</dt>
            <dd className="rule">{problem.rule}</dd>
          </>
        )}
      </dl>
      <p className="message">{problem.message}</p>
      {violations.length > 1 && (
        <>
          <p>{t('state.violations')}</p>
          <ul>
            {violations.map((violation) => (
              <li key={violation.code}>
                <span className="rule">{violation.rule}</span> <span className="code">{violation.code}</span>: {violation.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
};

type PageModule<P> = { default: ComponentType<P> };

/**
 * A page that is a chunk of its own, as React.lazy, with `preload()` to fetch the chunk ahead. Once the chunk is here the
 * page renders in the same pass as what contains it, without suspending: a lazy page that suspends shows its Suspense
 * fallback, and React then shows the page no sooner than 300 ms after that fallback appeared (it holds back revealed
 * content so as not to flash it in pieces), long after the chunk came from the browser's cache.
 */
export const lazyPage = <P extends object>(load: () => Promise<PageModule<P>>) => {
  let loaded: PageModule<P> | undefined;
  let loading: Promise<PageModule<P>> | undefined;
  const preload = () => (loading ??= load().then((module) => (loaded = module)));
  // Hands the module to React.lazy at once (a Promise would a microtask later, when React has suspended already); typed as
  // the Promise React.lazy asks for, of which it only calls `then`.
  const here = (module: PageModule<P>) =>
    ({ then: (take: (found: PageModule<P>) => void) => take(module) }) as unknown as Promise<PageModule<P>>;
  const Page = lazy(() => (loaded ? here(loaded) : preload()));
  return Object.assign(Page, { preload });
};

/** Loads on mount and whenever `deps` change; `reload()` runs it again. */
export const useLoad = <T,>(load: () => Promise<T>, deps: unknown[]) => {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    run().then(
      (data) => setState({ data, loading: false }),
      (error: unknown) => setState({ error, loading: false }),
    );
  }, [run]);
  useEffect(reload, [reload]);
  return { ...state, reload };
};

/** Runs an action, keeping its error for display and a busy flag for the button. */
export const useAction = () => {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { error, busy, run, clear: () => setError(undefined) };
};

export const Loaded = <T,>({
  state,
  children,
  isEmpty,
}: {
  state: { data?: T; error?: unknown; loading: boolean };
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
}) => {
  if (state.error) return <ErrorPanel error={state.error} />;
  if (state.loading && state.data === undefined) return <Loading />;
  if (state.data === undefined) return <Empty />;
  if (isEmpty?.(state.data)) return <Empty />;
  return <>{children(state.data)}</>;
};

export const DataTable = <T,>({ data, columns, caption }: { data: T[]; columns: ColumnDef<T, unknown>[]; caption: string }) => {
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel() });
  if (data.length === 0) return <Empty />;
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** E5: every evidence view asks why first; the reason is sent with each request and recorded by the server. */
export const ReasonGate = ({ children }: { children: (reason: string) => ReactNode }) => {
  const { t } = useTranslation();
  const [reason, setReason] = useState<string>();
  const [draft, setDraft] = useState('');
  if (reason) {
    return (
      <>
        <p className="muted">
          {t('reason.current')}: <q>{reason}</q>
        </p>
        {children(reason)}
      </>
    );
  }
  return (
    <form
      className="reason-gate card"
      onSubmit={(event) => {
        event.preventDefault();
        if (draft.trim().length >= 5) setReason(draft.trim());
      }}
    >
      <h3>{t('reason.title')}</h3>
      <p className="muted">{t('reason.hint')}</p>
      <label>
        {t('reason.field')}
        <input name="reason" value={draft} minLength={5} required onChange={(event) => setDraft(event.target.value)} autoFocus />
      </label>
      <button type="submit">{t('reason.submit')}</button>
    </form>
  );
};

export const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <label className="field">
    <span>{label}</span>
    {children}
  </label>
);

export const Json = ({ value }: { value: unknown }) => <pre className="json">{JSON.stringify(value, null, 2)}</pre>;

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
