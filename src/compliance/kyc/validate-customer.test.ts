import { describe, expect, it } from 'vitest';
import { AriadneError } from '../../errors.js';
import { addr } from '../../ingest/scenario/tiny-graph.js';
import { ageOn, parseDate, validateCustomerInput } from './validate-customer.js';

const ASOF = Date.UTC(2025, 10, 22); // 2025-11-22

const individual = {
  id: 'cust-ann',
  type: 'individual',
  legalName: 'Ann Example',
  dateOfBirth: '1990-02-03',
  address: '12 Rue de la Paix, Paris',
  country: 'fr',
  nationality: 'FR',
  idDocumentNumber: '18AB12345',
  email: 'ann.example@mail.example.org',
  occupation: 'nurse',
  sourceOfFunds: 'salary',
  expectedMonthlyVolumeUsd: '2500',
  identityVerification: 'document_and_biometric',
  addresses: [addr('ANN')],
};

const entity = {
  type: 'entity',
  legalName: 'Example Trading GmbH',
  address: 'Hauptstrasse 1, Berlin',
  country: 'DE',
  idDocumentNumber: 'HRB 123456',
  email: 'compliance@example-trading.de',
  occupation: 'wholesale of electronics',
  occupationCategory: 'standard',
  sourceOfFunds: 'business_income',
  expectedMonthlyVolumeUsd: 250000,
  beneficialOwners: [
    { name: 'Hans Owner', dateOfBirth: '1970-01-01', country: 'DE', ownershipPercent: 60, pep: false },
    { name: 'Greta Manager', dateOfBirth: '1985-06-30', country: 'AT', ownershipPercent: 0, control: true },
  ],
};

function problems(input: unknown): { field: string; message: string }[] {
  try {
    validateCustomerInput(input, ASOF);
  } catch (err) {
    expect(err).toBeInstanceOf(AriadneError);
    expect((err as AriadneError).code).toBe('INVALID_INPUT');
    return (err as AriadneError).context.problems as { field: string; message: string }[];
  }
  throw new Error('expected INVALID_INPUT');
}

describe('customer due diligence validation', () => {
  it('accepts a complete individual and normalizes country codes, defaults and addresses', () => {
    const v = validateCustomerInput(individual, ASOF);
    expect(v).toMatchObject({ id: 'cust-ann', country: 'FR', nationality: 'FR', occupationCategory: 'standard', pep: false, aliases: [], beneficialOwners: [], addresses: [addr('ANN')] });
  });

  it('accepts an entity with its beneficial owners and a control person', () => {
    const v = validateCustomerInput(entity, ASOF);
    expect(v.id).toBeNull();
    expect(v.expectedMonthlyVolumeUsd).toBe('250000');
    expect(v.beneficialOwners.map((o) => [o.name, o.ownershipPercent, o.control])).toEqual([
      ['Hans Owner', 60, false],
      ['Greta Manager', 0, true],
    ]);
  });

  it('lists every missing required field at once', () => {
    const fields = problems({ type: 'individual' }).map((p) => p.field);
    expect(fields).toEqual(['legalName', 'dateOfBirth', 'address', 'country', 'idDocumentNumber', 'email', 'occupation', 'sourceOfFunds', 'expectedMonthlyVolumeUsd']);
  });

  it('refuses malformed email addresses and says what was expected', () => {
    for (const email of ['ann', 'ann@', '@example.com', 'ann@example', 'ann example@example.com', 'ann@exa_mple.com']) {
      const p = problems({ ...individual, email });
      expect(p).toEqual([{ field: 'email', message: `expected an email address such as "name@example.com", got ${JSON.stringify(email)}` }]);
    }
  });

  it('refuses customers under 18 on the as-of day, and accepts the 18th birthday itself', () => {
    // Born 2007-11-22: 18 on 2025-11-22 exactly.
    expect(validateCustomerInput({ ...individual, dateOfBirth: '2007-11-22' }, ASOF).dateOfBirth).toBe('2007-11-22');
    const p = problems({ ...individual, dateOfBirth: '2007-11-23' });
    expect(p).toEqual([{ field: 'dateOfBirth', message: 'customer must be 18 or over: born 2007-11-23, aged 17 on 2025-11-22' }]);
  });

  it('counts a 29 February birthday as 1 March in a common year', () => {
    expect(ageOn([2004, 2, 29], Date.UTC(2022, 1, 28))).toBe(17);
    expect(ageOn([2004, 2, 29], Date.UTC(2022, 2, 1))).toBe(18);
    expect(ageOn([2004, 2, 29], Date.UTC(2024, 1, 29))).toBe(20);
  });

  it('refuses dates that do not exist or lie in the future', () => {
    expect(parseDate('2023-02-29')).toBeNull();
    expect(parseDate('2024-02-29')).toEqual([2024, 2, 29]);
    expect(problems({ ...individual, dateOfBirth: '1990-13-01' })[0]!.field).toBe('dateOfBirth');
    expect(problems({ ...individual, dateOfBirth: '2030-01-01' })[0]!.message).toMatch(/in the past/);
  });

  it('refuses codes that are not ISO 3166-1 alpha-2', () => {
    expect(problems({ ...individual, country: 'UK' })).toEqual([{ field: 'country', message: 'expected an ISO 3166-1 alpha-2 country code such as "US" or "DE", got "UK"' }]);
    expect(problems({ ...individual, country: 'FRA' })[0]!.field).toBe('country');
    expect(problems({ ...individual, nationality: 'XK' })[0]!.field).toBe('nationality');
  });

  it('requires beneficial owners for entities, each 25% or more or the control person, adding up to at most 100%', () => {
    expect(problems({ ...entity, beneficialOwners: [] }).map((p) => p.field)).toEqual(['beneficialOwners']);
    const small = problems({ ...entity, beneficialOwners: [{ name: 'Small Holder', dateOfBirth: '1970-01-01', country: 'DE', ownershipPercent: 24.9 }] });
    expect(small).toEqual([{ field: 'beneficialOwners[0].ownershipPercent', message: 'a beneficial owner holds 25% or more (or is the control person, control: true), got 24.9%' }]);
    const over = problems({ ...entity, beneficialOwners: [entity.beneficialOwners[0], { ...entity.beneficialOwners[0], name: 'Other', ownershipPercent: 50 }] });
    expect(over).toEqual([{ field: 'beneficialOwners', message: 'ownership adds up to 110%, more than 100%' }]);
    expect(problems({ ...individual, beneficialOwners: entity.beneficialOwners }).map((p) => p.field)).toEqual(['beneficialOwners']);
  });

  it('refuses invalid wallet addresses with the reason', () => {
    const p = problems({ ...individual, addresses: ['btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyX'] });
    expect(p[0]!.field).toBe('addresses[0]');
    expect(p[0]!.message).toMatch(/invalid bitcoin address/);
  });

  it('says how many problems there are in the message', () => {
    try {
      validateCustomerInput({ ...individual, email: 'x', country: 'ZZ' }, ASOF);
      throw new Error('expected a throw');
    } catch (err) {
      expect((err as Error).message).toMatch(/^invalid customer cust-ann: 2 problems: country: .*; email: /);
    }
  });
});
