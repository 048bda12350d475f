/** How severe a rule's alerts are. */
export type IntegritySeverity = 'warning' | 'critical';

/**
 * The integrity rules' settings for one jurisdiction (shared/monitoring/config/integrity.json; the
 * figures are illustrative, measured on generated data: docs/integrity.md).
 */
export interface IntegrityPolicy {
  /** Requests to one payee within `windowDays` whose sum reaches an approval threshold, each below it. */
  splitting: { enabled: boolean; severity: IntegritySeverity; windowDays: number; minParts: number };
  /** One bank account behind at least two payees of the register, one of them paid in the year. */
  sharedAccount: { enabled: boolean; severity: IntegritySeverity };
  /** One household (one payee, or payees sharing an account) holding a once-only support twice. */
  doubleSupport: { enabled: boolean; severity: IntegritySeverity };
  /**
   * At least `minSharePercent` of an allocation's payments (and at least `minWindowVnd` over at least
   * `minPayments` payments) posted in the last `windowDays` days up to its deadline.
   */
  deadlineBunching: {
    enabled: boolean;
    severity: IntegritySeverity;
    windowDays: number;
    minSharePercent: number;
    minWindowVnd: number;
    minPayments: number;
  };
}

/** Every jurisdiction's settings: the defaults, and a jurisdiction's own changes to them. */
export interface IntegrityConfig {
  defaults: IntegrityPolicy;
  jurisdictions: Record<string, { [K in keyof IntegrityPolicy]?: Partial<IntegrityPolicy[K]> }>;
}

/** The settings of a jurisdiction: the defaults, each rule's fields overridden by its own. */
export const integrityPolicyFor = (config: IntegrityConfig, jurisdiction: string): IntegrityPolicy => {
  const own = Object.hasOwn(config.jurisdictions, jurisdiction) ? config.jurisdictions[jurisdiction] : {};
  const d = config.defaults;
  return {
    splitting: { ...d.splitting, ...own?.splitting },
    sharedAccount: { ...d.sharedAccount, ...own?.sharedAccount },
    doubleSupport: { ...d.doubleSupport, ...own?.doubleSupport },
    deadlineBunching: { ...d.deadlineBunching, ...own?.deadlineBunching },
  };
};
