import { describe, expect, it } from 'vitest';
import { placeNamesIn } from '../../shared/jurisdictions/app/jurisdictions.ts';
import { jurisdictionCatalog } from '../../shared/jurisdictions/config/index.ts';
import type { Jurisdiction } from '../../shared/jurisdictions/domain/administrative-unit.ts';
import { placeNames } from '../../shared/jurisdictions/domain/place-names.ts';
import {
  fundingLineLabel,
  levelLabel,
  scopeLabel,
} from '../../shared/monitoring/presentation/scope-label.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { ForbiddenError } from '../../shared/platform/errors.ts';

const tayGiang = placeNamesIn(jurisdictionCatalog, 'tay-giang', '2024-09-30');
const daNang = placeNamesIn(jurisdictionCatalog, 'da-nang', '2026-09-30');
const levelsOf = (jurisdiction: string) =>
  approvalPolicies.policies.find((p) => p.jurisdiction === jurisdiction)?.levels ?? {};

describe('place names from the unit data', () => {
  it('names Tây Giang district, its province and its communes as they were in 2024', () => {
    expect(tayGiang.unit).toEqual({ vi: 'huyện Tây Giang', en: 'Tây Giang district' });
    expect(tayGiang.address).toEqual({
      vi: 'huyện Tây Giang, tỉnh Quảng Nam',
      en: 'Tây Giang district, Quảng Nam province',
    });
    expect(tayGiang.whole).toEqual({ vi: 'toàn huyện Tây Giang', en: 'all of Tây Giang district' });
    expect(tayGiang.commune('A Tiêng', 'vi')).toBe('xã A Tiêng');
    expect(tayGiang.commune('A Tiêng', 'en')).toBe('A Tiêng commune');
    expect(tayGiang.communes).toHaveLength(10);
    expect(tayGiang.communes).toContain("Tr'Hy");
  });

  it('names Đà Nẵng city and the communes that replaced Tây Giang district, never a district', () => {
    expect(daNang.unit).toEqual({ vi: 'thành phố Đà Nẵng', en: 'Đà Nẵng city' });
    expect(daNang.address.vi).toBe('thành phố Đà Nẵng');
    expect(daNang.whole.vi).toBe('toàn thành phố Đà Nẵng');
    expect(daNang.commune('Avương', 'vi')).toBe('xã Avương');
    expect(daNang.communes).toEqual(['Avương', 'Tây Giang', 'Hùng Sơn']);
    expect(JSON.stringify({ ...daNang, communes: daNang.communes })).not.toMatch(/huyện/i);
  });

  it('takes the local funding line’s name from each jurisdiction’s file', () => {
    expect(fundingLineLabel('local', 'vi', tayGiang)).toBe('Ngân sách huyện');
    expect(fundingLineLabel('local', 'vi', daNang)).toBe('Ngân sách thành phố');
    expect(fundingLineLabel('local', 'en', daNang)).toBe('city budget');
    expect(fundingLineLabel('central', 'vi', daNang)).toBe('Ngân sách trung ương');
  });

  it('names a scope mid-sentence with the lower-case tier word, and the whole jurisdiction for no commune', () => {
    expect(scopeLabel({ commune: 'Avương', fundingLine: 'local', component: 'DA1' }, 'vi', daNang)).toBe(
      'xã Avương · Ngân sách thành phố · DA1',
    );
    expect(scopeLabel({}, 'vi', daNang)).toBe('toàn thành phố Đà Nẵng');
    expect(scopeLabel({}, 'en', tayGiang)).toBe('all of Tây Giang district');
    expect(scopeLabel({ commune: 'Dang' }, 'vi', tayGiang)).toBe('xã Dang');
  });

  it('names approval levels from the policy and the units: the city level of Đà Nẵng, the district of Tây Giang', () => {
    expect(levelLabel('city', 'vi', daNang, levelsOf('da-nang'))).toBe('cấp thành phố');
    expect(levelLabel('commune', 'vi', daNang, levelsOf('da-nang'))).toBe('cấp xã');
    expect(levelLabel('treasury', 'vi', daNang, levelsOf('da-nang'))).toBe('Kho bạc (kiểm soát chi)');
    expect(levelLabel('district', 'vi', tayGiang, levelsOf('tay-giang'))).toBe('cấp huyện');
    expect(levelLabel('district-leader', 'vi', tayGiang, levelsOf('tay-giang'))).toBe('lãnh đạo huyện');
    expect(levelLabel('province', 'en', tayGiang, levelsOf('tay-giang'))).toBe('province level');
    expect(levelLabel('board', 'vi', tayGiang, levelsOf('tay-giang'))).toBe('board');
  });

  it('names a unit that no longer exists on the day by its latest record, and a commune the data lacks as a commune', () => {
    const later = placeNamesIn(jurisdictionCatalog, 'tay-giang', '2026-01-01');
    expect(later.unit.vi).toBe('huyện Tây Giang');
    expect(later.communes).toHaveLength(10);
    expect(later.commune('Nowhere', 'vi')).toBe('xã Nowhere');
  });

  it('writes a ward or a special zone with its own tier word', () => {
    const city: Jurisdiction = {
      id: 'c',
      unit: 'c',
      localBudget: { vi: 'Ngân sách thành phố', en: 'city budget' },
      units: [
        { id: 'c', name: 'C', tier: 'city', validFrom: '2025-07-01' },
        { id: 'w', name: 'Hải Châu', tier: 'ward', parent: 'c', validFrom: '2025-07-01' },
        { id: 's', name: 'Hoàng Sa', tier: 'special-zone', parent: 'c', validFrom: '2025-07-01' },
      ],
    };
    const names = placeNames(city, '2025-07-01');
    expect(names.commune('Hải Châu', 'vi')).toBe('phường Hải Châu');
    expect(names.commune('Hoàng Sa', 'vi')).toBe('đặc khu Hoàng Sa');
    expect(names.whole.vi).toBe('toàn thành phố C');
  });

  it('refuses a jurisdiction the deployment does not serve, and names the upgrade default’s for none', () => {
    expect(() => placeNamesIn(jurisdictionCatalog, 'ha-noi', '2026-01-01')).toThrow(ForbiddenError);
    expect(placeNamesIn(jurisdictionCatalog, undefined, '2024-01-01').unit.vi).toBe('huyện Tây Giang');
  });
});
