import { fold } from '@app/common';
import { given } from '@app/common/testing';
import { step } from '../testing/fixtures';
import { ContractSerialAssigned, contractSerialDecider, contractYear, nextContractSerial } from './contract-serials';

const assigned = (number: number): ContractSerialAssigned => ({
  type: 'advisory.ContractSerialAssigned',
  data: { serial: `ADV-2026-${String(number).padStart(6, '0')}`, year: '2026', number, engagementId: `eng-${number}`, step: step() },
});

describe('A6 contract serials: one gap-free register per year', () => {
  it('A6: the first serial of a year is ADV-<year>-000001', () => {
    given(contractSerialDecider)
      .when({ type: 'AssignContractSerial', year: '2026', engagementId: 'eng-1', step: step() })
      .then([
        {
          type: 'advisory.ContractSerialAssigned',
          data: { serial: 'ADV-2026-000001', year: '2026', number: 1, engagementId: 'eng-1', step: step() },
        },
      ]);
  });

  it('A6: each serial follows the last one assigned, and the preview names the same next serial', () => {
    const history = [assigned(1), assigned(2)];
    const [event] = given(contractSerialDecider, history)
      .when({ type: 'AssignContractSerial', year: '2026', engagementId: 'eng-3', step: step() })
      .thenEvents();
    expect(event.data).toMatchObject({ serial: 'ADV-2026-000003', number: 3 });
    expect(nextContractSerial(fold(contractSerialDecider, history), '2026')).toBe('ADV-2026-000003');
  });

  it('A6: the year is the Beijing calendar year of the signing', () => {
    expect(contractYear('2026-12-31T15:59:59.999Z')).toBe('2026');
    expect(contractYear('2026-12-31T16:00:00.000Z')).toBe('2027');
  });
});
