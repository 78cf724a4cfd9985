// Login.tsx — password login through POST /api/v1/session, which sets the
// HttpOnly session cookie and gives the CSRF token for later changes.
import { useState } from 'preact/hooks';
import { post, type Session } from '../api';
import { t } from '../i18n';
import { Field, Form, Submit, value } from '../components';

export function Login({ onLogin }: { onLogin: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  return (
    <main id="main" class="login">
      <h1 id="page-title" tabIndex={-1}>{t('login.title')}</h1>
      <p class="purpose">{t('login.purpose')}</p>
      <Form label={t('login.title')} onSubmit={async () => onLogin(await post<Session>('/session', { username, password }))}>
        <Field label={t('login.username')}>
          <input name="username" autoComplete="username" required value={username}
                 onInput={(e) => setUsername(value(e))} />
        </Field>
        <Field label={t('login.password')}>
          <input name="password" type="password" autoComplete="current-password" required value={password}
                 onInput={(e) => setPassword(value(e))} />
        </Field>
        <Submit text={t('login.submit')} />
      </Form>
    </main>
  );
}
