import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, as } from '../api/client';
import { ErrorPanel, Field, useAction } from '../ui';

export const LoginPage = ({ onSignedIn }: { onSignedIn: (token: string) => void }) => {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [form, setForm] = useState({ email: '', password: '', displayName: '', dateOfBirth: '' });
  const action = useAction();
  const set = (key: keyof typeof form) => (event: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: event.target.value });
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const answer = await action.run(() =>
      mode === 'login'
        ? as<{ accessToken: string }>(api.POST('/auth/login', { body: { email: form.email, password: form.password } }))
        : as<{ accessToken: string }>(
            api.POST('/auth/register', {
              body: {
                email: form.email,
                password: form.password,
                displayName: form.displayName,
                ...(form.dateOfBirth ? { dateOfBirth: form.dateOfBirth } : {}),
              },
            }),
          ),
    );
    if (answer) onSignedIn(answer.accessToken);
  };
  return (
    <main id="main" className="login">
      <form className="card" onSubmit={submit}>
        <h2>{mode === 'login' ? t('login.title') : t('login.register')}</h2>
        <Field label={t('login.email')}>
          <input name="email" type="email" autoComplete="username" required value={form.email} onChange={set('email')} />
        </Field>
        <Field label={t('login.password')}>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={form.password}
            onChange={set('password')}
          />
        </Field>
        {mode === 'register' && (
          <>
            <Field label={t('login.displayName')}>
              <input name="displayName" required value={form.displayName} onChange={set('displayName')} />
            </Field>
            <Field label={t('login.dateOfBirth')}>
              <input name="dateOfBirth" type="date" value={form.dateOfBirth} onChange={set('dateOfBirth')} />
            </Field>
          </>
        )}
        <ErrorPanel error={action.error} />
        <button type="submit" disabled={action.busy}>
          {mode === 'login' ? t('login.submit') : t('login.register')}
        </button>
        <button type="button" className="link" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
          {mode === 'login' ? t('login.register') : t('login.title')}
        </button>
      </form>
    </main>
  );
};
