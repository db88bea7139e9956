import { Decider, DomainEvent, conflict } from '@app/common';

/** The installation's first admin is created once, from configuration: a marker stream that any later bootstrap finds. */
export const ADMIN_BOOTSTRAP_STREAM = 'identity-admin-bootstrap';

export type AdminBootstrapEvent = DomainEvent<'identity.AdminBootstrapped', { userId: string; at: string }>;
export type AdminBootstrapCommand = { type: 'BootstrapAdmin'; userId: string; at: string };
export type AdminBootstrapState = { readonly bootstrapped: boolean };

export const adminBootstrapDecider: Decider<AdminBootstrapCommand, AdminBootstrapEvent, AdminBootstrapState> = {
  initialState: { bootstrapped: false },
  decide: (command, state) =>
    state.bootstrapped
      ? conflict('IDENTITY.ADMIN_BOOTSTRAPPED', 'the first admin of this installation was created already')
      : [{ type: 'identity.AdminBootstrapped', data: { userId: command.userId, at: command.at } }],
  evolve: () => ({ bootstrapped: true }),
};
