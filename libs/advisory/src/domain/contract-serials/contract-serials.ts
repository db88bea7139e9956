/**
 * Contract serial numbers (A6), assigned by the server from one register per Beijing calendar year, the stream
 * `advisory.contract-serials-<year>`. Its n-th event assigns `ADV-<year>-<n, 6 digits>`; the signing appends it in the
 * same statement as the engagement's `ContractSigned`, expecting the register's revision it read, so a number is used
 * only by a signature that was recorded, and two signings racing for the same number cannot both be recorded (the
 * loser decides again with the next). Numbers are therefore unique and gap-free, and the register is itself evidence.
 */
import type { Decider, DomainEvent } from '@app/common';
import type { Step } from '../shared';
import { localDate } from '../shared';

export const ContractSerialEventType = { Assigned: 'advisory.ContractSerialAssigned' } as const;

export type ContractSerialAssigned = DomainEvent<
  typeof ContractSerialEventType.Assigned,
  { readonly serial: string; readonly year: string; readonly number: number; readonly engagementId: string; readonly step: Step }
>;

export interface AssignContractSerial {
  readonly type: 'AssignContractSerial';
  readonly year: string;
  readonly engagementId: string;
  readonly step: Step;
}

export interface ContractSerialRegister {
  /** How many serials the year has assigned so far. */
  readonly assigned: number;
}

export const contractYear = (atIso: string): string => localDate(atIso).slice(0, 4);

export const formatContractSerial = (year: string, number: number): string => `ADV-${year}-${String(number).padStart(6, '0')}`;

/** The serial the register gives next: what a signing decided now would record. */
export const nextContractSerial = (register: ContractSerialRegister, year: string): string =>
  formatContractSerial(year, register.assigned + 1);

export const contractSerialDecider: Decider<AssignContractSerial, ContractSerialAssigned, ContractSerialRegister> = {
  initialState: { assigned: 0 },
  decide: (command, register) => {
    const number = register.assigned + 1;
    return [
      {
        type: ContractSerialEventType.Assigned,
        data: {
          serial: formatContractSerial(command.year, number),
          year: command.year,
          number,
          engagementId: command.engagementId,
          step: command.step,
        },
      },
    ];
  },
  evolve: (register, event) => (event.type === ContractSerialEventType.Assigned ? { assigned: event.data.number } : register),
};

export const contractSerialStreamId = (year: string): string => `advisory.contract-serials-${year}`;
