/**
 * The risk matrix on hand-built customers. Each expected score is computed by hand from the matrix table
 * in docs/compliance.md (weights: identity 15, source of funds 15, volume/frequency 15, jurisdiction 20,
 * occupation 15, wallet 20; scores 1-3; LOW < 150 <= MEDIUM < 210 <= HIGH < 250 <= VERY_HIGH).
 */
import { describe, expect, it } from 'vitest';
import type { CustomerProfile } from '../../../store/compliance-store.js';
import { loadFatfLists } from '../fatf-lists.js';
import { parseUsd } from '../../monitoring/usd.js';
import { loadRiskMatrix, parseRiskMatrix } from './risk-matrix.js';
import { rateCustomer, type RiskInput } from './rate-customer.js';

const matrix = loadRiskMatrix();
const fatf = loadFatfLists();

function profile(over: Partial<CustomerProfile> = {}): CustomerProfile {
  return {
    type: 'individual',
    legalName: 'Test Person',
    aliases: [],
    dateOfBirth: '1980-01-01',
    address: 'somewhere',
    country: 'US',
    nationality: null,
    idDocumentNumber: 'X1',
    email: 'x@example.com',
    occupation: 'teacher',
    occupationCategory: 'standard',
    sourceOfFunds: 'salary',
    sourceOfFundsDetail: '',
    expectedMonthlyVolumeUsd: '3000',
    pep: false,
    identityVerification: 'document_and_biometric',
    beneficialOwners: [],
    ...over,
  };
}

const rate = (customer: CustomerProfile, extra: Partial<Omit<RiskInput, 'customer'>> = {}) =>
  rateCustomer(matrix, fatf, { customer, exposure: { mixerHops: null, sanctionedHops: null }, observed: null, at: 1, ...extra });

describe('customer risk rating', () => {
  it('Alice: every factor low -> 100, LOW', () => {
    const r = rate(profile());
    expect(r.factors.map((f) => [f.factor, f.value, f.score])).toEqual([
      ['identity_verification', 'document_and_biometric', 1],
      ['source_of_funds', 'salary', 1],
      ['volume_frequency', 'low', 1],
      ['jurisdiction', 'standard', 1],
      ['occupation', 'standard', 1],
      ['wallet_behaviour', 'clean', 1],
    ]);
    expect(r).toMatchObject({ score: 100, level: 'LOW', scoreLevel: 'LOW', overrides: [] });
  });

  it('Bob: document only, business income, 50,000 USD/month, cash-intensive -> 30+30+30+20+30+20 = 160, MEDIUM', () => {
    const r = rate(profile({ identityVerification: 'document', sourceOfFunds: 'business_income', expectedMonthlyVolumeUsd: '50000', occupationCategory: 'cash_intensive', country: 'DE' }));
    expect(r).toMatchObject({ score: 160, level: 'MEDIUM' });
  });

  it('the MEDIUM boundary: 150 exactly is MEDIUM, 145 is LOW', () => {
    // document 30 + business income 30 + grey country (KE) 40 + 15 + 15 + 20 = 150
    expect(rate(profile({ identityVerification: 'document', sourceOfFunds: 'business_income', country: 'KE' }))).toMatchObject({ score: 150, level: 'MEDIUM' });
    // document 30 + business income 30 + 50,000 declared 30 + 20 + 15 + 20 = 145
    expect(rate(profile({ identityVerification: 'document', sourceOfFunds: 'business_income', expectedMonthlyVolumeUsd: '50000' }))).toMatchObject({ score: 145, level: 'LOW' });
  });

  it('Grace: HIGH by score alone (30+45+45+40+30+40 = 230)', () => {
    const r = rate(profile({ identityVerification: 'document', sourceOfFunds: 'crypto_trading', expectedMonthlyVolumeUsd: '150000', country: 'VN', occupationCategory: 'cash_intensive' }), {
      exposure: { mixerHops: 2, sanctionedHops: null },
    });
    expect(r.factors.find((f) => f.factor === 'wallet_behaviour')!.value).toBe('indirect_mixer');
    expect(r).toMatchObject({ score: 230, level: 'HIGH', scoreLevel: 'HIGH', overrides: [] });
  });

  it('Frank: VERY_HIGH by score (45+45+45+40+45+60 = 280)', () => {
    const r = rate(profile({ identityVerification: 'unverified', sourceOfFunds: 'undisclosed', expectedMonthlyVolumeUsd: '250000', country: 'KE', occupationCategory: 'gambling' }), {
      exposure: { mixerHops: 1, sanctionedHops: null },
    });
    expect(r).toMatchObject({ score: 280, level: 'VERY_HIGH' });
  });

  it('Erin: a PEP is at least HIGH whatever the score (15+15+15+20+45+20 = 130 -> LOW -> HIGH)', () => {
    const r = rate(profile({ pep: true }));
    expect(r).toMatchObject({ score: 130, scoreLevel: 'LOW', level: 'HIGH' });
    expect(r.overrides).toEqual(['occupation=pep -> at least HIGH (politically exposed person (FATF Recommendation 12))']);
  });

  it('a PEP beneficial owner makes the entity a PEP case', () => {
    const owners = [{ name: 'Owner', dateOfBirth: '1970-01-01', country: 'US', ownershipPercent: 100, control: false, pep: true }];
    const r = rate(profile({ type: 'entity', beneficialOwners: owners }));
    expect(r.factors.find((f) => f.factor === 'occupation')).toMatchObject({ value: 'pep', reason: 'beneficial owner 1 is a politically exposed person' });
    expect(r.level).toBe('HIGH');
  });

  it('Dmitri Trading: a black-list country is VERY_HIGH (30+30+30+60+30+20 = 200 -> MEDIUM -> VERY_HIGH)', () => {
    const r = rate(profile({ type: 'entity', country: 'IR', identityVerification: 'document', sourceOfFunds: 'business_income', expectedMonthlyVolumeUsd: '20000', occupationCategory: 'money_services' }));
    expect(r).toMatchObject({ score: 200, scoreLevel: 'MEDIUM', level: 'VERY_HIGH' });
    expect(r.factors.find((f) => f.factor === 'jurisdiction')!.reason).toBe('country IR on the FATF black list (as of 2025-10-24)');
  });

  it("takes the worst of country, nationality and owners' countries", () => {
    const owners = [{ name: 'Owner', dateOfBirth: '1970-01-01', country: 'KP', ownershipPercent: 30, control: false, pep: false }];
    expect(rate(profile({ nationality: 'SY' })).factors.find((f) => f.factor === 'jurisdiction')!.value).toBe('grey');
    expect(rate(profile({ type: 'entity', beneficialOwners: owners, nationality: 'SY' })).factors.find((f) => f.factor === 'jurisdiction')!.value).toBe('black');
  });

  it('Carol (demo): observed volume above the declared one, direct mixer and sanctioned funds 2 hops back', () => {
    // document_and_biometric 15 + savings 30 + observed 139,996 USD (high) 45 + US 20 + standard 15
    // + wallet: direct_mixer (3) and indirect_sanctioned (3), sanctioned wins the tie: 60 -> 185, MEDIUM -> HIGH by override.
    const r = rate(profile({ sourceOfFunds: 'savings', expectedMonthlyVolumeUsd: '5000' }), {
      exposure: { mixerHops: 1, sanctionedHops: 2 },
      observed: { volumeUsd: parseUsd('139996'), count: 5 },
    });
    expect(r.factors.find((f) => f.factor === 'volume_frequency')).toMatchObject({ value: 'high', score: 3 });
    expect(r.factors.find((f) => f.factor === 'wallet_behaviour')).toMatchObject({ value: 'indirect_sanctioned', score: 3 });
    expect(r).toMatchObject({ score: 185, scoreLevel: 'MEDIUM', level: 'HIGH' });
  });

  it('funds one hop from a sanctioned address are VERY_HIGH', () => {
    expect(rate(profile(), { exposure: { mixerHops: null, sanctionedHops: 1 } })).toMatchObject({ score: 140, level: 'VERY_HIGH' });
  });

  it('frequency can raise volume/frequency on its own: 101 transactions in 30 days is high', () => {
    const r = rate(profile(), { observed: { volumeUsd: parseUsd('100'), count: 101 } });
    expect(r.factors.find((f) => f.factor === 'volume_frequency')).toMatchObject({ value: 'high' });
    expect(rate(profile(), { observed: { volumeUsd: parseUsd('100'), count: 100 } }).factors.find((f) => f.factor === 'volume_frequency')).toMatchObject({ value: 'medium' });
  });
});

describe('risk matrix file', () => {
  it('has weights adding up to 100 and scores every value the CDD form can produce', () => {
    expect(matrix.factors.reduce((t, f) => t + f.weight, 0)).toBe(100);
    expect(matrix.levels.map((l) => [l.level, l.below])).toEqual([
      ['LOW', 150],
      ['MEDIUM', 210],
      ['HIGH', 250],
      ['VERY_HIGH', null],
    ]);
  });

  it('refuses a matrix whose weights do not add up, or that leaves a value unscored', () => {
    const raw = JSON.parse(JSON.stringify({ factors: [], levels: [] }));
    expect(() => parseRiskMatrix(raw)).toThrow(/missing factors/);
    const base = (weight: number) => ({
      version: 't',
      factors: [
        { id: 'identity_verification', weight, values: { document_and_biometric: 1, document: 2, unverified: 3 } },
        { id: 'source_of_funds', weight: 15, values: { salary: 1 } },
      ],
      levels: [{ level: 'LOW' }],
    });
    expect(() => parseRiskMatrix(base(15))).toThrow(/source_of_funds does not score pension/);
  });
});
