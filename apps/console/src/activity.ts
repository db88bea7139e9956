/**
 * The console is one of the investor's apps: it reports a sign-in as app activity (POST /me/activity). The server keeps
 * it only under the investor's analytics consent (G7) and it is what the daily check-in's rule reads.
 */
import { api } from './api/client';

export const recordSignIn = (roles: readonly string[]) => {
  if (!roles.includes('investor')) return;
  const at = new Date().toISOString();
  void api
    .POST('/me/activity', { body: { events: [{ clientEventId: `console-login-${at}`, type: 'logged_in', at }] } })
    .catch(() => undefined);
};
