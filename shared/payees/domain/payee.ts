import type { PayeeKind } from '../../ledger/domain/funding-line.ts';

/**
 * A payee of the register ("đối tượng thụ hưởng"): one record per real household, person or
 * organisation of a jurisdiction, identified by its tax code or citizen ID, with the bank account it
 * is paid to. Requests name it by id and keep a snapshot of its name and kind.
 */
export interface Payee {
  id: string;
  jurisdiction: string;
  kind: PayeeKind;
  /** NFC, trimmed, as the register shows it. */
  name: string;
  /** The name folded for search: no accents, `đ` as `d`, lower case, single spaces (see {@link searchNameOf}). */
  searchName: string;
  /** Organisations' tax code ("mã số thuế"): 10 digits, or a dependent unit's 10 + `-` + 3. */
  taxCode?: string;
  /** Households' and individuals' citizen ID ("số định danh cá nhân", on the CCCD): 12 digits. */
  citizenId?: string;
  bankAccount: BankAccount;
  commune: string;
  createdAt: string;
  createdBy: string;
}

/** Where a payee is paid: the account number and the bank's NAPAS BIN (format checked, not the bank's list). */
export interface BankAccount {
  /** Digits and capital letters, 4 to 19 (a bound we chose; wallet-linked accounts hold letters). */
  number: string;
  /** The bank's 6-digit NAPAS BIN, e.g. 970405 (Agribank), 970418 (BIDV). */
  bankCode: string;
}

/** The identifier types the register keeps unique per jurisdiction, as they appear in storage keys. */
export const IDENTIFIER_TYPES = { taxCode: 'TAX', citizenId: 'CCCD' } as const;
export type IdentifierField = keyof typeof IDENTIFIER_TYPES;

/** Which identifier each kind of payee is registered by: people by citizen ID, organisations by tax code. */
export const IDENTIFIER_OF_KIND: Readonly<Record<PayeeKind, IdentifierField>> = {
  household: 'citizenId',
  individual: 'citizenId',
  cooperative: 'taxCode',
  contractor: 'taxCode',
  agency: 'taxCode',
};

/** A payee's unique identifier: its type (`TAX`, `CCCD`) and value. */
export interface PayeeIdentifier {
  field: IdentifierField;
  type: (typeof IDENTIFIER_TYPES)[IdentifierField];
  value: string;
}

/** The identifier a payee is registered by (the one its kind takes). */
export const identifierOf = (payee: Pick<Payee, 'kind' | 'taxCode' | 'citizenId'>): PayeeIdentifier => {
  const field = IDENTIFIER_OF_KIND[payee.kind];
  return { field, type: IDENTIFIER_TYPES[field], value: payee[field] ?? '' };
};

/** A name folded for accent-insensitive search: "Hộ bà Đinh Thị Ánh" → "ho ba dinh thi anh". */
export const searchNameOf = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const TAX_CODE = /^(\d{10})(?:-?(\d{3}))?$/;
const CITIZEN_ID = /^\d{12}$/;
/** Weights of the tax code's check digit over its first nine digits (modulus 11). */
const TAX_CODE_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/** The tax code's check digit from its first nine digits, or undefined when none exists (10 - sum mod 11 = 10). */
export const taxCodeCheckDigit = (nine: string): number | undefined => {
  const sum = [...nine].reduce((s, d, i) => s + Number(d) * (TAX_CODE_WEIGHTS[i] ?? 0), 0);
  const check = 10 - (sum % 11);
  return check === 10 ? undefined : check;
};

/** A tax code written as the register keeps it: 10 digits, or 10 + `-` + 3 (13 digits accepted without the dash). */
export const canonicalTaxCode = (code: string): string | undefined => {
  const match = TAX_CODE.exec(code);
  if (!match) return undefined;
  return match[2] === undefined ? match[1] : `${match[1]}-${match[2]}`;
};

/** What is wrong with a tax code, as an instruction, or undefined when it is well formed and its check digit holds. */
export const taxCodeProblem = (code: string): string | undefined => {
  const canonical = canonicalTaxCode(code);
  if (canonical === undefined) {
    return 'must be a tax code of 10 digits, or 13 written as 10 digits, a dash and 3 digits (e.g. 0100047516 or 0100047516-001)';
  }
  const province = canonical.slice(0, 2);
  const sequence = canonical.slice(2, 9);
  const suffix = canonical.slice(11);
  if (province === '00' || sequence === '0000000' || suffix === '000') {
    return 'is not a tax code: its province part (digits 1–2), sequence (3–9) and unit suffix (after the dash) may not be all zeros';
  }
  if (taxCodeCheckDigit(canonical.slice(0, 9)) !== Number(canonical[9])) {
    return 'is not a valid tax code: its 10th digit does not match the check digit of the first nine; check it for a typing error';
  }
  return undefined;
};

/** What is wrong with a citizen ID, or undefined: 12 digits (the number on the CCCD, a format check only). */
export const citizenIdProblem = (id: string): string | undefined =>
  CITIZEN_ID.test(id) ? undefined : 'must be a citizen ID (số định danh cá nhân) of exactly 12 digits';

/** Whether a search text is written as an identifier (a tax code or a citizen ID) rather than a name. */
export const identifierSearched = (q: string): PayeeIdentifier | undefined => {
  const text = q.trim();
  if (CITIZEN_ID.test(text)) return { field: 'citizenId', type: IDENTIFIER_TYPES.citizenId, value: text };
  const taxCode = canonicalTaxCode(text);
  return taxCode === undefined
    ? undefined
    : { field: 'taxCode', type: IDENTIFIER_TYPES.taxCode, value: taxCode };
};

/** What a finance officer gives to register a payee (the schema has NFC-trimmed the texts). */
export interface NewPayee {
  kind: PayeeKind;
  name: string;
  taxCode?: string | undefined;
  citizenId?: string | undefined;
  bankAccount: BankAccount;
  commune: string;
}

/**
 * The first problem of a new payee, as `{ field, message }`, or undefined: the identifier its kind takes
 * is given and valid, and the other is absent.
 */
export const newPayeeProblem = (input: NewPayee): { field: string; message: string } | undefined => {
  const field = IDENTIFIER_OF_KIND[input.kind];
  const other: IdentifierField = field === 'taxCode' ? 'citizenId' : 'taxCode';
  const what = field === 'taxCode' ? 'an organisation (tax code)' : 'a person or household (citizen ID)';
  if (input[other] !== undefined) {
    return {
      field: other,
      message: `a ${input.kind} is registered by its ${field === 'taxCode' ? 'tax code' : 'citizen ID'}, not a ${other === 'taxCode' ? 'tax code' : 'citizen ID'}; send ${field} instead`,
    };
  }
  const value = input[field];
  if (value === undefined) {
    return { field, message: `is required: a ${input.kind} is ${what}` };
  }
  const problem = field === 'taxCode' ? taxCodeProblem(value) : citizenIdProblem(value);
  return problem ? { field, message: problem } : undefined;
};

/** A new payee as the register keeps it: identifier written canonically, name folded for search. */
export const payeeOf = (
  input: NewPayee,
  meta: { id: string; jurisdiction: string; createdAt: string; createdBy: string },
): Payee => ({
  id: meta.id,
  jurisdiction: meta.jurisdiction,
  kind: input.kind,
  name: input.name,
  searchName: searchNameOf(input.name),
  ...(input.taxCode !== undefined ? { taxCode: canonicalTaxCode(input.taxCode) ?? input.taxCode } : {}),
  ...(input.citizenId !== undefined ? { citizenId: input.citizenId } : {}),
  bankAccount: { number: input.bankAccount.number, bankCode: input.bankAccount.bankCode },
  commune: input.commune,
  createdAt: meta.createdAt,
  createdBy: meta.createdBy,
});
