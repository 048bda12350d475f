import { describe, expect, it } from 'vitest';
import { ownJurisdictions, unitsOfJurisdiction } from '../../shared/jurisdictions/app/jurisdictions.ts';
import { JURISDICTIONS, jurisdictionCatalog } from '../../shared/jurisdictions/config/index.ts';
import {
  JurisdictionConfigError,
  type JurisdictionFile,
  loadJurisdictions,
} from '../../shared/jurisdictions/config/load-jurisdictions.ts';
import {
  type AdministrativeUnit,
  dayBefore,
  type Jurisdiction,
  labelOf,
  unitById,
  unitsOn,
} from '../../shared/jurisdictions/domain/administrative-unit.ts';
import { ForbiddenError, NotFoundError } from '../../shared/platform/errors.ts';
import { caught } from './support/caught.ts';

const jurisdiction = (id: string): Jurisdiction => {
  const found = JURISDICTIONS.find((j) => j.id === id);
  if (!found) throw new Error(`no jurisdiction ${id}`);
  return found;
};
const ids = (units: AdministrativeUnit[]) => units.map((u) => u.id);

describe('the shipped jurisdictions', () => {
  it('keeps the names the 2024 data uses for Tây Giang’s ten communes, so existing allocations map to units', () => {
    const communes = jurisdiction('tay-giang').units.filter((u) => u.tier === 'commune');

    // As the 2024 data (allocations, the demo seed) writes them.
    expect(communes.map((u) => u.name)).toEqual([
      'A Nông',
      'A Tiêng',
      'A Vương',
      'A Xan',
      'Bha Lê',
      "Ch'ơm",
      'Dang',
      'Ga Ri',
      'Lăng',
      "Tr'Hy",
    ]);
    expect(communes.every((u) => u.parent === 'tay-giang')).toBe(true);
  });

  it('serves Tây Giang with three tiers up to 30/06/2025 and nothing from 01/07/2025', () => {
    const tayGiang = jurisdiction('tay-giang');
    const before = unitsOn(tayGiang, '2025-06-30');

    expect(before.map((u) => u.tier)).toEqual(['province', 'district', ...Array(10).fill('commune')]);
    expect(ids(before).slice(0, 2)).toEqual(['quang-nam', 'tay-giang']);
    expect(unitsOn(tayGiang, '2025-07-01')).toEqual([]);
    expect(unitsOn(tayGiang, '2024-09-30')).toEqual(before);
  });

  it('serves Đà Nẵng with two tiers from 01/07/2025, its communes merged from all ten of Tây Giang’s, each once', () => {
    const daNang = jurisdiction('da-nang');
    const after = unitsOn(daNang, '2025-07-01');

    expect(after.map((u) => [u.tier, u.name])).toEqual([
      ['city', 'Đà Nẵng'],
      ['commune', 'Avương'],
      ['commune', 'Tây Giang'],
      ['commune', 'Hùng Sơn'],
    ]);
    expect(after.slice(1).every((u) => u.parent === 'da-nang')).toBe(true);
    const merged = after.slice(1).flatMap((u) => u.mergedFrom ?? []);
    const oldCommunes = ids(
      unitsOn(jurisdiction('tay-giang'), '2025-06-30').filter((u) => u.tier === 'commune'),
    );
    expect([...merged].sort()).toEqual([...oldCommunes].sort());
    expect(after[0]?.mergedFrom).toEqual(['quang-nam', 'da-nang']);
    expect(ids(unitsOn(daNang, '2025-06-30'))).toEqual(['da-nang']);
    expect(unitsOn(daNang, '2026-03-01')).toEqual(after);
  });

  it('finds a unit by id, the record of a given day or else the latest', () => {
    const daNang = jurisdiction('da-nang');

    expect(unitById(daNang, 'da-nang', '2024-01-01')?.validTo).toBe('2025-06-30');
    expect(unitById(daNang, 'da-nang')?.validFrom).toBe('2025-07-01');
    expect(unitById(daNang, 'xa-avuong', '2025-06-30')).toBeUndefined();
    expect(unitById(daNang, 'nowhere')).toBeUndefined();
  });
});

describe('labels', () => {
  it('writes the tier word in lower case before the name', () => {
    const labels = (['province', 'city', 'district', 'commune', 'ward', 'special-zone'] as const).map(
      (tier) => labelOf({ tier, name: 'X' }),
    );

    expect(labels).toEqual(['tỉnh X', 'thành phố X', 'huyện X', 'xã X', 'phường X', 'đặc khu X']);
    expect(labelOf({ tier: 'commune', name: 'A Vương' })).toBe('xã A Vương');
    expect(labelOf({ tier: 'city', name: 'Đà Nẵng' })).toBe('thành phố Đà Nẵng');
    expect(labelOf({ tier: 'special-zone', name: 'Hoàng Sa' }, 'en')).toBe('Hoàng Sa special zone');
  });

  it('knows the day before a date across months and leap years', () => {
    expect(dayBefore('2025-07-01')).toBe('2025-06-30');
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
    expect(dayBefore('2025-01-01')).toBe('2024-12-31');
  });
});

/** A small valid pair of files (a province with one district and commune, and its successor). */
const files = (): JurisdictionFile[] => [
  {
    file: 'config/old.json',
    content: {
      id: 'old',
      unit: 'district-a',
      localBudget: { vi: 'Ngân sách huyện', en: 'district budget' },
      units: [
        { id: 'province-p', name: 'P', tier: 'province', validFrom: '2000-01-01', validTo: '2025-06-30' },
        {
          id: 'district-a',
          name: 'A',
          tier: 'district',
          parent: 'province-p',
          validFrom: '2000-01-01',
          validTo: '2025-06-30',
        },
        {
          id: 'commune-b',
          name: 'B',
          tier: 'commune',
          parent: 'district-a',
          validFrom: '2000-01-01',
          validTo: '2025-06-30',
        },
      ],
    },
  },
  {
    file: 'config/new.json',
    content: {
      id: 'new',
      unit: 'city-c',
      localBudget: { vi: 'Ngân sách thành phố', en: 'city budget' },
      units: [
        { id: 'city-c', name: 'C', tier: 'city', validFrom: '2025-07-01', mergedFrom: ['province-p'] },
        {
          id: 'xa-d',
          name: 'D',
          tier: 'commune',
          parent: 'city-c',
          validFrom: '2025-07-01',
          mergedFrom: ['commune-b'],
        },
      ],
    },
  },
];
type UnitFields = Record<string, unknown>;
/** The units array of one fixture file, to change in place. */
const unitsIn = (all: JurisdictionFile[], file: 0 | 1): UnitFields[] =>
  ((all[file] as JurisdictionFile).content as { units: UnitFields[] }).units;
/** The fixture with one unit's fields changed (`undefined` removes a field). */
const withUnit = (file: 0 | 1, index: number, change: UnitFields): JurisdictionFile[] => {
  const all = files();
  const target = all[file] as JurisdictionFile;
  const content = target.content as { units: UnitFields[] };
  const unit = { ...content.units[index], ...change };
  for (const [k, v] of Object.entries(change)) if (v === undefined) delete unit[k];
  content.units[index] = unit;
  return all;
};
const problemsOf = (input: JurisdictionFile[]): string[] => {
  const error = caught(() => loadJurisdictions(input));
  expect(error).toBeInstanceOf(JurisdictionConfigError);
  return (error as JurisdictionConfigError).problems;
};

describe('loading jurisdiction files', () => {
  it('loads a valid pair of files', () => {
    expect(loadJurisdictions(files()).map((j) => j.id)).toEqual(['old', 'new']);
  });

  it('names the file and unit of a parent that is not in the file', () => {
    expect(problemsOf(withUnit(0, 2, { parent: 'district-z' }))).toEqual([
      'config/old.json: unit "commune-b": parent "district-z" is not a unit of this file; add it or correct the id',
    ]);
  });

  it('refuses a parent that does not exist on every day its child does', () => {
    const problems = problemsOf(withUnit(0, 2, { validTo: '2025-07-31' }));

    expect(problems).toContainEqual(
      expect.stringMatching(
        /^config\/old\.json: unit "commune-b": parent "district-a" does not exist on 2025-07-01 .*the parent must exist on every day the unit does/,
      ),
    );
  });

  it('accepts a parent whose consecutive records together cover its child', () => {
    const input = files();
    const old = unitsIn(input, 0);
    old.splice(
      1,
      1,
      { ...old[1], validTo: '2010-12-31' },
      {
        ...old[1],
        name: 'A renamed',
        validFrom: '2011-01-01',
      },
    );

    expect(loadJurisdictions(input)[0]?.units).toHaveLength(4);
  });

  it('refuses a unit declared twice for overlapping days', () => {
    const input = files();
    const old = unitsIn(input, 0);
    old.push({ ...old[2], name: 'B again', validFrom: '2025-06-01' });

    expect(problemsOf(input)).toEqual([
      'config/old.json: unit "commune-b" is declared twice for overlapping days (2000-01-01 to 2025-06-30 and 2025-06-01 to 2025-06-30); end the first (validTo) the day before the second begins, or remove one',
    ]);
  });

  it('refuses validTo before validFrom', () => {
    expect(problemsOf(withUnit(1, 1, { validTo: '2025-06-01' }))).toContainEqual(
      'config/new.json: unit "xa-d": validTo 2025-06-01 is before validFrom 2025-07-01; a unit lasts at least one day — fix one of the two dates',
    );
  });

  it('refuses mergedFrom naming a unit that did not end the day before, or no unit at all', () => {
    const endedEarly = problemsOf(withUnit(0, 2, { validTo: '2025-06-29' }));
    const unknown = problemsOf(withUnit(1, 1, { mergedFrom: ['commune-q'] }));
    const stillThere = problemsOf(withUnit(0, 2, { validTo: undefined }));

    expect(endedEarly).toEqual([
      'config/new.json: unit "xa-d": mergedFrom "commune-b" must end the day before this unit begins (validTo 2025-06-30), but it exists 2000-01-01 to 2025-06-29; correct its validTo or this unit\'s validFrom',
    ]);
    expect(unknown).toEqual([
      'config/new.json: unit "xa-d": mergedFrom "commune-q" is not a unit of any jurisdiction file; add it or correct the id',
    ]);
    expect(stillThere).toContainEqual(expect.stringContaining('it exists 2000-01-01 to today'));
  });

  it('says what is wrong with a field, naming the unit, and lists the tiers', () => {
    const problems = problemsOf(withUnit(1, 1, { tier: 'hamlet', validFrom: '2025-02-30' }));

    expect(problems).toContainEqual(
      'config/new.json: unit "xa-d": tier: must be one of: province, city, district, commune, ward, special-zone',
    );
    expect(problems).toContainEqual(
      'config/new.json: unit "xa-d": validFrom: must be a real calendar date written YYYY-MM-DD, e.g. 2025-07-01',
    );
  });

  it('refuses names with control characters and reads names in NFC', () => {
    const nfd = 'Avương'.normalize('NFD');

    expect(problemsOf(withUnit(1, 1, { name: 'D\u0007' }))[0]).toMatch(
      /^config\/new\.json: unit "xa-d": name: must not contain control characters/,
    );
    expect(loadJurisdictions(withUnit(1, 1, { name: nfd }))[1]?.units[1]?.name).toBe(
      'Avương'.normalize('NFC'),
    );
  });

  it('refuses a province with a parent, a commune without one and a parent of a lower level', () => {
    expect(problemsOf(withUnit(0, 0, { parent: 'district-a' }))).toContainEqual(
      'config/old.json: unit "province-p": a province is of province level and has no parent; remove "parent"',
    );
    expect(problemsOf(withUnit(1, 1, { parent: undefined }))).toContainEqual(
      'config/new.json: unit "xa-d": a commune needs a parent; give the id of the unit directly above it',
    );
    expect(problemsOf(withUnit(0, 1, { tier: 'ward' }))).toContainEqual(
      'config/old.json: unit "commune-b": parent "district-a" is a ward, not above a commune; give a unit of a higher level',
    );
  });

  it('refuses a unit outside the jurisdiction’s tree and a file named for another jurisdiction', () => {
    const input = files();
    unitsIn(input, 1).push({
      id: 'city-e',
      name: 'E',
      tier: 'city',
      validFrom: '2025-07-01',
    });
    (input[0] as JurisdictionFile).file = 'config/elsewhere.json';

    expect(problemsOf(input)).toEqual([
      'config/elsewhere.json: declares jurisdiction "old"; name the file old.json or correct "id"',
      'config/new.json: unit "city-e": it is neither the jurisdiction\'s unit "city-c", one above it nor one under it; move it to its own jurisdiction\'s file or correct its parent',
    ]);
  });

  it('refuses one unit declared differently in two files, and accepts it declared the same', () => {
    const sibling = (name: string): JurisdictionFile => ({
      file: 'config/sibling.json',
      content: {
        id: 'sibling',
        unit: 'district-s',
        localBudget: { vi: 'Ngân sách huyện', en: 'district budget' },
        units: [
          { id: 'province-p', name, tier: 'province', validFrom: '2000-01-01', validTo: '2025-06-30' },
          {
            id: 'district-s',
            name: 'S',
            tier: 'district',
            parent: 'province-p',
            validFrom: '2000-01-01',
            validTo: '2025-06-30',
          },
        ],
      },
    });

    expect(problemsOf([...files(), sibling('P2')])).toEqual([
      'config/sibling.json: unit "province-p" is declared differently in config/old.json; a unit shared by two jurisdictions (e.g. their province) must be declared the same in both',
    ]);
    expect(loadJurisdictions([...files(), sibling('P')]).map((j) => j.id)).toEqual(['old', 'new', 'sibling']);
  });

  it('lists every problem of every file at once', () => {
    const input = withUnit(0, 2, { parent: 'district-z' });
    unitsIn(input, 1)[1] = { id: 'xa-d' };

    const error = caught(() => loadJurisdictions(input));

    expect((error as JurisdictionConfigError).problems.length).toBeGreaterThanOrEqual(4);
    expect(error.message).toMatch(/^The jurisdiction configuration is invalid:\n- config\/old\.json/);
  });
});

describe('reading jurisdictions as a caller', () => {
  const actor = (jurisdiction?: string) => ({
    sub: 'u',
    groups: ['planner'],
    ...(jurisdiction ? { jurisdiction } : {}),
  });

  it('gives a token without the claim the upgrade default, Tây Giang district', () => {
    const [own] = ownJurisdictions(jurisdictionCatalog, actor());

    expect(own).toMatchObject({
      id: 'tay-giang',
      unit: { id: 'tay-giang', tier: 'district', label: 'huyện Tây Giang', labelEn: 'Tây Giang district' },
      validFrom: '2003-06-20',
      validTo: '2025-06-30',
    });
  });

  it('gives a token of Đà Nẵng its city, still in force', () => {
    const [own] = ownJurisdictions(jurisdictionCatalog, actor('da-nang'));

    expect(own).toEqual({
      id: 'da-nang',
      unit: expect.objectContaining({ label: 'thành phố Đà Nẵng', validFrom: '2025-07-01' }),
      validFrom: '1997-01-01',
      localBudget: { vi: 'Ngân sách thành phố', en: 'city budget' },
    });
  });

  it('refuses a token naming a jurisdiction this deployment does not serve', () => {
    expect(caught(() => ownJurisdictions(jurisdictionCatalog, actor('ha-noi')))).toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('answers the units of one’s own jurisdiction, 404 for an unknown one and 403 for another’s', () => {
    const units = unitsOfJurisdiction(jurisdictionCatalog, actor('da-nang'), 'da-nang', '2025-07-01');

    expect(units.items.map((u) => u.label)).toEqual([
      'thành phố Đà Nẵng',
      'xã Avương',
      'xã Tây Giang',
      'xã Hùng Sơn',
    ]);
    expect(
      caught(() => unitsOfJurisdiction(jurisdictionCatalog, actor(), 'ha-noi', '2025-07-01')),
    ).toBeInstanceOf(NotFoundError);
    const foreign = caught(() => unitsOfJurisdiction(jurisdictionCatalog, actor(), 'da-nang', '2025-07-01'));
    expect(foreign).toBeInstanceOf(ForbiddenError);
    expect(foreign.message).toBe(
      'Jurisdiction "da-nang" is not yours; your account belongs to "tay-giang" (GET /jurisdictions).',
    );
  });
});
