import type { PayeeKind } from '../../ledger/domain/funding-line.ts';

/**
 * A policy limit on support per payee, from config (shared/platform/config/support-rules): a payee of
 * one of `payeeKinds` receives the support at most once, across years, within a jurisdiction. A request
 * is "that support" when it declares a positive count of one of `outputKeys` (e.g. `houses`) or draws on
 * an allocation of one of `components` (e.g. `DA5`, housing).
 */
export interface SupportRule {
  /** The rule's id, as it appears in claims' keys and in `already_supported` details. */
  id: string;
  label: { vi: string; en: string };
  payeeKinds: PayeeKind[];
  outputKeys: string[];
  components: string[];
}

/** What a request is matched on: its payee (from the register) and what it pays for. */
export interface SupportedRequest {
  payeeId?: string | undefined;
  payee: { kind: PayeeKind };
  component: string;
  outputs?: Record<string, number> | undefined;
}

/**
 * The rules a request falls under, by id: only requests naming a register payee are claimed (an inline
 * payee, deprecated, identifies nobody).
 */
export const supportClaimsOf = (rules: readonly SupportRule[], request: SupportedRequest): string[] =>
  request.payeeId === undefined
    ? []
    : rules
        .filter(
          (rule) =>
            rule.payeeKinds.includes(request.payee.kind) &&
            (rule.components.includes(request.component) ||
              rule.outputKeys.some((key) => (request.outputs?.[key] ?? 0) > 0)),
        )
        .map((rule) => rule.id);
