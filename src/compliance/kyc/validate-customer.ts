/**
 * Customer due diligence (CDD) input: checks a customer record as it arrives from the API or the CLI and
 * returns the normalized profile, or throws one INVALID_INPUT listing every problem (field and what was
 * expected), so that a form can show them all at once.
 *
 * Rules: required fields present and non-blank; email in the WHATWG HTML "valid e-mail address" form with a
 * dotted domain; dates YYYY-MM-DD that exist; individuals 18 or over on the as-of date (a 29 February birthday
 * turns 18 on 1 March in a common year); countries ISO 3166-1 alpha-2; entities name their beneficial
 * owners (25% or more, FATF Recommendation 24 / FinCEN CDD rule 31 CFR 1010.230) or a control person;
 * wallet addresses canonical chain-qualified ids.
 */
import { AriadneError, invalidInput } from '../../errors.js';
import { parseAddressId, type AddressId } from '../../model/address.js';
import type { BeneficialOwner, CustomerProfile, CustomerType } from '../../store/compliance-store.js';
import { isIsoCountry } from './iso-countries.js';

export const IDENTITY_VERIFICATION = ['document_and_biometric', 'document', 'unverified'] as const;
export const SOURCES_OF_FUNDS = [
  'salary',
  'pension',
  'business_income',
  'investments',
  'savings',
  'inheritance',
  'property_sale',
  'loan',
  'crypto_trading',
  'crypto_mining',
  'gift',
  'other',
  'undisclosed',
] as const;
export const OCCUPATION_CATEGORIES = ['standard', 'cash_intensive', 'money_services', 'gambling'] as const;

/** Ownership that makes a beneficial owner (percent). */
export const BENEFICIAL_OWNERSHIP_PERCENT = 25;
export const MINIMUM_AGE = 18;

export interface ValidCustomerInput extends CustomerProfile {
  id: string | null;
  addresses: AddressId[];
}

export interface Problem {
  field: string;
  message: string;
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;
// WHATWG HTML "valid e-mail address", with at least one dot in the domain.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD into [y, m, d] when the date exists. */
export function parseDate(text: unknown): [number, number, number] | null {
  if (typeof text !== 'string') return null;
  const m = DATE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return [y, mo, d];
}

/** Whole years from `dateOfBirth` to the UTC day of `asOf` (unix ms). */
export function ageOn(dateOfBirth: [number, number, number], asOf: number): number {
  const now = new Date(asOf);
  const [y, m, d] = dateOfBirth;
  let age = now.getUTCFullYear() - y;
  // Before the birthday this year (29 Feb counts as 1 Mar in a common year): one year less.
  const birthdayThisYear = new Date(Date.UTC(now.getUTCFullYear(), m - 1, d));
  if (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) < birthdayThisYear.getTime()) age--;
  return age;
}

/**
 * Validates a customer record. `asOf` (unix ms) is the day the age is checked on. Throws INVALID_INPUT
 * whose message lists every problem and whose context holds `problems: [{field, message}]`. Pure.
 */
export function validateCustomerInput(input: unknown, asOf: number): ValidCustomerInput {
  const problems: Problem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw invalidInput(`invalid customer: expected a JSON object, got ${Array.isArray(input) ? 'an array' : typeof input}`);
  }
  const raw = input as Record<string, unknown>;

  const text = (field: string, required: boolean, max = 200): string => {
    const v = raw[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      if (required) add(field, 'required');
      return '';
    }
    if (typeof v !== 'string') {
      add(field, `expected a string, got ${typeof v}`);
      return '';
    }
    if (v.trim().length > max) add(field, `expected at most ${max} characters, got ${v.trim().length}`);
    return v.trim();
  };
  const oneOf = <T extends string>(field: string, allowed: readonly T[], fallback?: T): T => {
    const v = raw[field];
    if ((v === undefined || v === null || v === '') && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      add(field, v === undefined || v === null || v === '' ? `required: one of ${allowed.join(', ')}` : `expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
      return allowed[0]!;
    }
    return v as T;
  };
  const country = (field: string, value: unknown, required: boolean): string => {
    if (value === undefined || value === null || value === '') {
      if (required) add(field, 'required: an ISO 3166-1 alpha-2 code such as "US"');
      return '';
    }
    const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
    if (!isIsoCountry(code)) {
      add(field, `expected an ISO 3166-1 alpha-2 country code such as "US" or "DE", got ${JSON.stringify(value)}`);
      return '';
    }
    return code;
  };
  const bool = (field: string): boolean => {
    const v = raw[field];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') add(field, `expected true or false, got ${JSON.stringify(v)}`);
    return v === true;
  };

  let id: string | null = null;
  if (raw.id !== undefined && raw.id !== null && raw.id !== '') {
    if (typeof raw.id === 'string' && ID.test(raw.id)) id = raw.id;
    else add('id', `expected 1-64 characters of A-Z a-z 0-9 . _ -, got ${JSON.stringify(raw.id)}`);
  }
  const type = oneOf<CustomerType>('type', ['individual', 'entity']);
  const legalName = text('legalName', true);
  const aliases: string[] = [];
  if (raw.aliases !== undefined && raw.aliases !== null) {
    if (!Array.isArray(raw.aliases)) add('aliases', 'expected an array of names');
    else
      raw.aliases.forEach((a, i) => {
        if (typeof a !== 'string' || a.trim() === '') add(`aliases[${i}]`, 'expected a non-empty name');
        else aliases.push(a.trim());
      });
  }

  let dateOfBirth: string | null = null;
  const dobRaw = raw.dateOfBirth;
  if (dobRaw === undefined || dobRaw === null || dobRaw === '') {
    if (type === 'individual') add('dateOfBirth', 'required for individuals: YYYY-MM-DD');
  } else {
    const dob = parseDate(dobRaw);
    if (!dob) add('dateOfBirth', `expected a date YYYY-MM-DD that exists, got ${JSON.stringify(dobRaw)}`);
    else if (Date.UTC(dob[0], dob[1] - 1, dob[2]) > asOf) add('dateOfBirth', `expected a date in the past, got ${String(dobRaw)}`);
    else {
      dateOfBirth = String(dobRaw);
      if (type === 'individual' && ageOn(dob, asOf) < MINIMUM_AGE) {
        add('dateOfBirth', `customer must be ${MINIMUM_AGE} or over: born ${dateOfBirth}, aged ${ageOn(dob, asOf)} on ${new Date(asOf).toISOString().slice(0, 10)}`);
      }
    }
  }

  const address = text('address', true, 400);
  const residence = country('country', raw.country, true);
  const nationality = country('nationality', raw.nationality, false) || null;
  const idDocumentNumber = text('idDocumentNumber', true, 64);
  if (idDocumentNumber !== '' && !/^[A-Za-z0-9][A-Za-z0-9 /-]*$/.test(idDocumentNumber)) {
    add('idDocumentNumber', `expected letters, digits, spaces, "-" or "/", got ${JSON.stringify(idDocumentNumber)}`);
  }
  const email = text('email', true, 254);
  if (email !== '' && !EMAIL.test(email)) add('email', `expected an email address such as "name@example.com", got ${JSON.stringify(email)}`);
  const occupation = text('occupation', true);
  const occupationCategory = oneOf('occupationCategory', OCCUPATION_CATEGORIES, 'standard');
  const sourceOfFunds = oneOf('sourceOfFunds', SOURCES_OF_FUNDS);
  const sourceOfFundsDetail = text('sourceOfFundsDetail', false, 1000);

  let expectedMonthlyVolumeUsd = '';
  const vol = raw.expectedMonthlyVolumeUsd;
  if (vol === undefined || vol === null || vol === '') add('expectedMonthlyVolumeUsd', 'required: whole USD as a non-negative integer');
  else if (typeof vol === 'number' && Number.isSafeInteger(vol) && vol >= 0) expectedMonthlyVolumeUsd = String(vol);
  else if (typeof vol === 'string' && /^(0|[1-9][0-9]*)$/.test(vol)) expectedMonthlyVolumeUsd = vol;
  else add('expectedMonthlyVolumeUsd', `expected whole USD as a non-negative integer, got ${JSON.stringify(vol)}`);

  const pep = bool('pep');
  const identityVerification = oneOf('identityVerification', IDENTITY_VERIFICATION, 'unverified');

  const beneficialOwners: BeneficialOwner[] = [];
  const owners = raw.beneficialOwners;
  if (type === 'individual') {
    if (Array.isArray(owners) && owners.length > 0) add('beneficialOwners', 'individuals have no beneficial owners: expected none');
  } else if (!Array.isArray(owners) || owners.length === 0) {
    add('beneficialOwners', `required for entities: every owner of ${BENEFICIAL_OWNERSHIP_PERCENT}% or more, or the control person`);
  } else {
    let total = 0;
    owners.forEach((o: unknown, i) => {
      const f = `beneficialOwners[${i}]`;
      if (!o || typeof o !== 'object') {
        add(f, 'expected an object {name, dateOfBirth, country, ownershipPercent, control, pep}');
        return;
      }
      const owner = o as Record<string, unknown>;
      const name = typeof owner.name === 'string' ? owner.name.trim() : '';
      if (name === '') add(`${f}.name`, 'required');
      const dob = parseDate(owner.dateOfBirth);
      if (!dob) add(`${f}.dateOfBirth`, `expected a date YYYY-MM-DD that exists, got ${JSON.stringify(owner.dateOfBirth)}`);
      else if (ageOn(dob, asOf) < MINIMUM_AGE) add(`${f}.dateOfBirth`, `beneficial owner must be ${MINIMUM_AGE} or over, got born ${String(owner.dateOfBirth)}`);
      const ownerCountry = country(`${f}.country`, owner.country, true);
      const pct = owner.ownershipPercent;
      const control = owner.control === true;
      if (typeof pct !== 'number' || !Number.isFinite(pct) || pct < 0 || pct > 100) {
        add(`${f}.ownershipPercent`, `expected a number from 0 to 100, got ${JSON.stringify(pct)}`);
      } else {
        total += pct;
        if (pct < BENEFICIAL_OWNERSHIP_PERCENT && !control) {
          add(`${f}.ownershipPercent`, `a beneficial owner holds ${BENEFICIAL_OWNERSHIP_PERCENT}% or more (or is the control person, control: true), got ${pct}%`);
        }
      }
      if (owner.pep !== undefined && typeof owner.pep !== 'boolean') add(`${f}.pep`, `expected true or false, got ${JSON.stringify(owner.pep)}`);
      beneficialOwners.push({
        name,
        dateOfBirth: typeof owner.dateOfBirth === 'string' ? owner.dateOfBirth : '',
        country: ownerCountry,
        ownershipPercent: typeof pct === 'number' ? pct : 0,
        control,
        pep: owner.pep === true,
      });
    });
    if (total > 100) add('beneficialOwners', `ownership adds up to ${total}%, more than 100%`);
  }

  const addresses: AddressId[] = [];
  if (raw.addresses !== undefined && raw.addresses !== null) {
    if (!Array.isArray(raw.addresses)) add('addresses', 'expected an array of wallet addresses');
    else
      raw.addresses.forEach((a, i) => {
        try {
          const idOf = parseAddressId(String(a));
          if (!addresses.includes(idOf)) addresses.push(idOf);
        } catch (err) {
          if (!(err instanceof AriadneError)) throw err;
          add(`addresses[${i}]`, err.message);
        }
      });
  }

  if (problems.length > 0) {
    const list = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw invalidInput(`invalid customer${id ? ` ${id}` : ''}: ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${list}`, { problems });
  }
  return {
    id,
    type,
    legalName,
    aliases,
    dateOfBirth,
    address,
    country: residence,
    nationality,
    idDocumentNumber,
    email,
    occupation,
    occupationCategory,
    sourceOfFunds,
    sourceOfFundsDetail,
    expectedMonthlyVolumeUsd,
    pep,
    identityVerification,
    beneficialOwners,
    addresses,
  };
}
