import { DomainError, fold, forbidden } from '@app/common';
import { given } from '@app/common/testing';
import { COMPLIANCE, openAccount, play, step } from '../testing/fixtures';
import { holdsPersonalData, investorDecider, shreddingRefusal } from './investor.decider';

const open = () => play(investorDecider, [openAccount()]);
const shredded = () =>
  play(investorDecider, [{ type: 'ShredPersonalData', reason: 'erasure request (PIPL art. 47)', step: step(COMPLIANCE) }], open());
const userEvent = { type: 'identity.PersonalDataShredded' };

describe('E3 shredding a person: user and advisory account decided together', () => {
  it('E3: an open account holds personal data until it is shredded; no account holds none', () => {
    expect(holdsPersonalData(fold(investorDecider, open()))).toBe(true);
    expect(holdsPersonalData(fold(investorDecider, shredded()))).toBe(false);
    expect(holdsPersonalData(investorDecider.initialState)).toBe(false);
  });

  it('E3: the advisory account is shredded once, by the follow-on the handler appends', () => {
    given(investorDecider, shredded())
      .when({ type: 'ShredPersonalData', reason: 'again', step: step(COMPLIANCE) })
      .thenFails('ACCOUNT.ALREADY_SHREDDED', 'E3');
  });

  it('E3: refused as done (ACCOUNT.ALREADY_SHREDDED) when neither the registration nor the account has anything left', () => {
    expect(shreddingRefusal([], fold(investorDecider, shredded()))).toMatchObject({ code: 'ACCOUNT.ALREADY_SHREDDED', rule: 'E3' });
    expect(shreddingRefusal([], investorDecider.initialState)).toMatchObject({ code: 'ACCOUNT.ALREADY_SHREDDED', rule: 'E3' });
  });

  it('E3: goes ahead when either still holds personal data', () => {
    expect(shreddingRefusal([userEvent], fold(investorDecider, shredded()))).toBeUndefined();
    expect(shreddingRefusal([], fold(investorDecider, open()))).toBeUndefined();
  });

  it("E3: the user decider's own refusal (not a compliance officer) stands before anything else", () => {
    const refusal = forbidden('IDENTITY.SHREDDING_COMPLIANCE_ONLY', 'personal data is shredded by a compliance officer', 'E3');
    expect(shreddingRefusal(refusal, fold(investorDecider, shredded()))).toBe(refusal);
    expect(shreddingRefusal(refusal, fold(investorDecider, shredded()))).toBeInstanceOf(DomainError);
  });
});
