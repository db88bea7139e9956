import { given } from '@app/common/testing';
import { adminBootstrapDecider } from './admin-bootstrap';

describe('the first admin is bootstrapped once', () => {
  const at = '2026-01-01T00:00:00.000Z';

  it('records the first admin of an installation', () => {
    given(adminBootstrapDecider)
      .when({ type: 'BootstrapAdmin', userId: 'u-1', at })
      .then([{ type: 'identity.AdminBootstrapped', data: { userId: 'u-1', at } }]);
  });

  it('refuses a second bootstrap (another instance, a restart)', () => {
    given(adminBootstrapDecider, [{ type: 'identity.AdminBootstrapped', data: { userId: 'u-1', at } }])
      .when({ type: 'BootstrapAdmin', userId: 'u-2', at })
      .thenFails('IDENTITY.ADMIN_BOOTSTRAPPED');
  });
});
