import type { SubscriptionStore } from '../shared/monitoring/app/ports.ts';
import { newSubscription, type SubscriptionScope } from '../shared/monitoring/domain/subscription.ts';
import type { Actor } from '../shared/platform/access.ts';

/** A demo inspector ("cán bộ giám sát"): who, at which address, watching what. */
export interface DemoInspector {
  actor: Actor;
  email: string;
  scope: SubscriptionScope;
}

/** The Tây Giang demo's inspectors and what each watches. */
export const DEMO_INSPECTORS: DemoInspector[] = [
  {
    actor: { sub: 'thanh-tra-huyen', groups: ['inspector'] },
    email: 'thanhtra.huyen@taygiang.gov.vn',
    scope: {}, // the whole district
  },
  {
    actor: { sub: 'giam-sat-a-tieng', groups: ['inspector'], commune: 'A Tiêng' },
    email: 'giamsat.atieng@taygiang.gov.vn',
    scope: { commune: 'A Tiêng' },
  },
  {
    actor: { sub: 'giam-sat-dang', groups: ['inspector'], commune: 'Dang' },
    email: 'giamsat.dang@taygiang.gov.vn',
    scope: { commune: 'Dang' },
  },
  {
    actor: { sub: 'giam-sat-von-tw', groups: ['inspector'] },
    email: 'giamsat.vontrunguong@quangnam.gov.vn',
    scope: { fundingLine: 'central' },
  },
];

/**
 * Subscribes the demo inspectors, confirmed (the operator seeding them vouches for their addresses),
 * so they get the demo's alerts whatever ALERT_EMAIL_DOMAINS says. Deterministic ids: seeding twice
 * keeps one subscription each.
 */
export const seedDemoInspectors = async (
  subscriptions: SubscriptionStore,
  now = new Date(),
  inspectors: DemoInspector[] = DEMO_INSPECTORS,
): Promise<number> => {
  const at = now.toISOString();
  for (const { actor, email, scope } of inspectors) {
    await subscriptions.putSubscription({ ...newSubscription(actor, { email, scope }, at), confirmedAt: at });
  }
  return inspectors.length;
};
