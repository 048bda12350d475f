import { createPayee, type PayeeDeps } from '../shared/payees/app/payees.ts';
import { type NewPayee, taxCodeCheckDigit } from '../shared/payees/domain/payee.ts';
import type { Actor } from '../shared/platform/access.ts';

/**
 * The demos' payee register: households, cooperatives, contractors and agencies, each registered
 * through the register's use case (POST /payees) with an id of the demo's own, so requests and
 * contracts name them by `payeeId`. Every name, citizen ID, tax code and bank account here is
 * ILLUSTRATIVE and made up: citizen IDs start with 0999 (no province has code 099), tax codes with
 * 40999 (a check digit that holds, no real organisation behind it).
 */
export interface DemoPayee extends NewPayee {
  id: string;
}

/** Runs `fn` over the items, at most `limit` at a time. */
export const inParallel = async <T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> => {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  };
  await Promise.all(Array.from({ length: limit }, worker));
};

/** The n-th illustrative citizen ID (12 digits): `0999` and n on eight digits. */
export const demoCitizenId = (n: number): string => `0999${String(n).padStart(8, '0')}`;

/**
 * The n-th illustrative tax code (10 digits, n < 10 000): province part 40, then 999 (or the next
 * lower triple when no check digit exists for it), n on four digits, and the mod-11 check digit.
 */
export const demoTaxCode = (n: number): string => {
  for (let triple = 999; triple > 900; triple--) {
    const nine = `40${triple}${String(n).padStart(4, '0')}`;
    const check = taxCodeCheckDigit(nine);
    if (check !== undefined) return `${nine}${check}`;
  }
  throw new Error(`no illustrative tax code for ${n}`);
};

/** Banks by NAPAS BIN: households and cooperatives bank with Agribank, firms and agencies with BIDV. */
const AGRIBANK = '970405';
const BIDV = '970418';

/** Illustrative Cơ Tu family names and given names, combined deterministically. */
const FAMILY_NAMES = ['Alăng', 'Bhling', 'Briu', 'Clâu', 'Zơrâm', 'Hốih', 'Arất', 'Pơloong', 'Ating', 'Coor'];
const GIVEN_NAMES = [
  ['ông', 'Văn Bốp'],
  ['bà', 'Thị Nhiên'],
  ['ông', 'Văn Dư'],
  ['bà', 'Thị Bích'],
  ['ông', 'Văn Pai'],
  ['bà', 'Thị Xuân'],
  ['ông', 'Văn Tiến'],
  ['bà', 'Thị Loan'],
  ['ông', 'Văn Hùng'],
  ['bà', 'Thị Dung'],
  ['ông', 'Văn Blúp'],
] as const;

/** The n-th household of a commune: "Hộ ông Alăng Văn Bốp", a citizen ID and an Agribank account. */
export const demoHousehold = (id: string, commune: string, n: number): DemoPayee => {
  const [title, given] = GIVEN_NAMES[n % GIVEN_NAMES.length] ?? GIVEN_NAMES[0];
  const family = FAMILY_NAMES[Math.floor(n / GIVEN_NAMES.length) % FAMILY_NAMES.length] ?? 'Alăng';
  return {
    id,
    kind: 'household',
    name: `Hộ ${title} ${family} ${given}`,
    citizenId: demoCitizenId(n),
    bankAccount: { number: `3900${String(n).padStart(9, '0')}`, bankCode: AGRIBANK },
    commune,
  };
};

/** The n-th organisation: a tax code, and an account at BIDV (firms, agencies) or Agribank (cooperatives). */
export const demoOrganisation = (
  id: string,
  kind: 'contractor' | 'cooperative' | 'agency',
  name: string,
  commune: string,
  n: number,
): DemoPayee => ({
  id,
  kind,
  name,
  taxCode: demoTaxCode(n),
  bankAccount: {
    number: `5600${String(n).padStart(9, '0')}`,
    bankCode: kind === 'cooperative' ? AGRIBANK : BIDV,
  },
  commune,
});

/** Registers the demo's payees as its finance officer, a few at a time; answers how many. */
export const registerDemoPayees = async (
  deps: Omit<PayeeDeps, 'newId'>,
  finance: Actor,
  payees: readonly DemoPayee[],
): Promise<number> => {
  await inParallel(payees, 8, async ({ id, ...input }) => {
    await createPayee({ ...deps, newId: () => id }, finance, input, `seed-payee-${id}`);
  });
  return payees.length;
};
