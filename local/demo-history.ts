import { dossierForDecision } from '../shared/documents/app/dossier-check.ts';
import type { DocumentStore, ObjectStorage } from '../shared/documents/app/ports.ts';
import { applyApprovalEvent } from '../shared/ledger/app/apply-approval-event.ts';
import { amendContract, createContract } from '../shared/ledger/app/contracts.ts';
import type { LedgerStore } from '../shared/ledger/app/ports.ts';
import { createReallocation } from '../shared/ledger/app/reallocations.ts';
import { type NewRequest, submitRequest } from '../shared/ledger/app/requests.ts';
import type { Allocation } from '../shared/ledger/domain/allocation.ts';
import type { ApprovalPolicies } from '../shared/ledger/domain/approval-policy.ts';
import type { DisbursementRequest } from '../shared/ledger/domain/disbursement-request.ts';
import type { PayeeKind } from '../shared/ledger/domain/funding-line.ts';
import type { PayeeStore } from '../shared/payees/app/ports.ts';
import type { Actor } from '../shared/platform/access.ts';
import { contractPolicy } from '../shared/platform/config/contract-policy/index.ts';
import { documentRequirements } from '../shared/platform/config/dossier-documents/index.ts';
import { supportRules } from '../shared/platform/config/support-rules/index.ts';
import { jurisdictionOf, UPGRADE_DEFAULT_JURISDICTION } from '../shared/platform/tenancy.ts';
import { demoBudgetItem, demoVoucher } from './demo-budget-codes.ts';
import { type ContractPlan, contractPlan, nextPayment, splitLastPayment } from './demo-contracts.ts';
import { provideDemoDossier } from './demo-documents.ts';
import {
  type DemoPayee,
  demoHousehold,
  demoOrganisation,
  inParallel,
  registerDemoPayees,
} from './demo-payees.ts';
import { DEMO_FISCAL_YEAR, slug } from './demo-plan.ts';
import { demoOutputCatalogue } from './demo-targets.ts';

/**
 * The disbursement history of the Tây Giang 2024 demo up to the end of September, so the monitor has
 * something to find on 30/09/2024: DA1 infrastructure of A Tiêng and Ch'ơm far behind (critical),
 * A Xan and Lăng behind (warning), the other communes on track; the provincial counterpart line
 * behind as a whole; two requests stalled in approval. Recurrent funds are judged too (issue 16), and
 * a programme has paid part of them by September: housing, livelihood models (DA2, with the
 * province's counterpart), the community's contributions to the houses, communication (DA6) and
 * capacity building (DA7) are on their curve in most communes; A Tiêng's and Ch'ơm's lag (critical),
 * Lăng's and A Xan's housing and livelihoods, and the district's production (DA3) and jobs (DA4)
 * programmes are behind (warning). Every payment goes through the real path
 * (submission, then each level's approval event applied with the clock set to its 2024 date), so
 * the ledger's hash chains are those of real postings. Illustrative figures, not official ones.
 */

/** Share of each DA1 (investment) allocation disbursed by 30/09/2024, per commune and funding line. */
const DA1_DISBURSED: Record<string, { central: number; provincial: number; local: number }> = {
  'A Nông': { central: 0.68, provincial: 0.62, local: 0.7 },
  'A Tiêng': { central: 0.32, provincial: 0.3, local: 0.45 },
  'A Vương': { central: 0.62, provincial: 0.55, local: 0.65 },
  'A Xan': { central: 0.45, provincial: 0.4, local: 0.55 },
  'Bha Lê': { central: 0.58, provincial: 0.52, local: 0.6 },
  "Ch'ơm": { central: 0.2, provincial: 0.15, local: 0.3 },
  Dang: { central: 0.65, provincial: 0.56, local: 0.66 },
  'Ga Ri': { central: 0.55, provincial: 0.53, local: 0.58 },
  Lăng: { central: 0.47, provincial: 0.42, local: 0.52 },
  "Tr'Hy": { central: 0.61, provincial: 0.54, local: 0.63 },
};

/** Houses paid for under DA5 by 30/09/2024, per commune (of the 451 planned). */
const HOUSES_PAID: Record<string, number> = {
  'A Nông': 30,
  'A Tiêng': 12,
  'A Vương': 25,
  'A Xan': 20,
  'Bha Lê': 31,
  "Ch'ơm": 10,
  Dang: 22,
  'Ga Ri': 24,
  Lăng: 21,
  "Tr'Hy": 23,
};
/** The community's contribution per house built (matches the plan's DA5 community line). */
const COMMUNITY_CONTRIBUTION_PER_HOUSE_VND = 5_000_000;

/**
 * Infrastructure works completed by 30/09/2024 and declared on each commune's DA1 central payment
 * (the counterpart payments of the same works declare none, so nothing is counted twice).
 */
const WORKS_DONE: Record<string, Record<string, number>> = {
  'A Nông': { worksRoad: 2, worksIrrigation: 1 },
  'A Tiêng': { worksSchool: 1 },
  'A Vương': { worksRoad: 1, worksClinic: 1, worksPower: 1 },
  'A Xan': { worksRoad: 1, worksIrrigation: 1 },
  'Bha Lê': { worksRoad: 2, worksBridge: 1 },
  "Ch'ơm": { worksIrrigation: 1 },
  Dang: { worksRoad: 1, worksSchool: 1, worksIrrigation: 1 },
  'Ga Ri': { worksRoad: 1, worksPower: 1 },
  Lăng: { worksRoad: 1, worksClinic: 1 },
  "Tr'Hy": { worksRoad: 1, worksSchool: 1 },
};

/** Livelihood models (DA2) supported by 30/09/2024, per commune, each paid to a cooperative. */
const MODELS_PAID: Record<string, number> = {
  'A Nông': 2,
  'A Tiêng': 1,
  'A Vương': 1,
  'A Xan': 1,
  'Bha Lê': 2,
  "Ch'ơm": 1,
  Dang: 2,
  'Ga Ri': 1,
  Lăng: 1,
  "Tr'Hy": 1,
};
const MODEL_SUPPORT_VND = 180_000_000;

/**
 * Share of each commune's livelihood capital (DA2, central and the province's counterpart) disbursed by
 * 30/09/2024: the models above, then seed and materials for them (a second payment) up to this share.
 */
const DA2_DISBURSED: Record<string, number> = {
  'A Nông': 0.66,
  'A Tiêng': 0.25,
  'A Vương': 0.6,
  'A Xan': 0.4,
  'Bha Lê': 0.62,
  "Ch'ơm": 0.25,
  Dang: 0.68,
  'Ga Ri': 0.58,
  Lăng: 0.45,
  "Tr'Hy": 0.6,
};

/**
 * PLANTED DEMO CASES (illustrative, made up for the demo, not real cases): patterns the integrity
 * rules (docs/integrity.md) are there to flag, so the 30/09/2024 monitor run shows an inspector what
 * an integrity alert looks like. Nothing else in the demo matches a rule.
 *
 * Splitting ("chia nhỏ hồ sơ"): Bha Lê's road contractor claims its September stage (1,123,000,000 ₫
 * gross, which would need the district leader's signature: 1 billion adds `district-leader`) as three
 * claims within a week, each under 1 billion. Same contract, same cash paid out as one claim.
 */
export const PLANTED_SPLIT = {
  allocationId: `${DEMO_FISCAL_YEAR}-da1-central-bha-le`,
  /** The first parts' gross; the last part is the rest of the stage. */
  partsVnd: [390_000_000, 385_000_000],
  submittedOn: ['2024-09-05', '2024-09-09', '2024-09-12'],
} as const;

/**
 * Shared account ("chung tài khoản"): Lăng's agricultural cooperative registered with the personal
 * Agribank account of a household of Lăng that was itself housed under DA5 (its chairman's, say): the
 * cooperative's livelihood funds land in a person's account. It may be innocent (a small cooperative
 * without an account of its own); the inspector tells.
 */
export const PLANTED_SHARED_ACCOUNT = { payeeId: 'tg-htx-lang', accountOfPayeeId: 'tg-ho-lang-3' } as const;

/**
 * The demo's reallocation (illustrative decision): on 20/09/2024 the district moves 600 million of
 * central investment capital from Ch'ơm's infrastructure (24% paid, far behind) to A Nông's (83% paid,
 * its works ahead of plan). Tây Giang's policy applies a reallocation at once (no province approval).
 */
export const DEMO_REALLOCATION = {
  decisionNumber: '312/QĐ-UBND',
  decidedOn: '2024-09-20',
  reason:
    "Điều chuyển vốn đầu tư từ công trình chậm giải ngân (hạ tầng xã Ch'ơm) sang công trình có khả năng giải ngân (hạ tầng xã A Nông) (minh họa)",
  moves: [
    {
      fromAllocationId: `${DEMO_FISCAL_YEAR}-da1-central-ch-om`,
      toAllocationId: `${DEMO_FISCAL_YEAR}-da1-central-a-nong`,
      amountVnd: 600_000_000,
    },
  ],
};
/** Its id, and when the planner records it (after every posting of September). */
const DEMO_REALLOCATION_ID = `${DEMO_FISCAL_YEAR}-dieu-chinh-1`;
const DEMO_REALLOCATION_AT = '2024-09-20';

/** Who submits and decides a demo's payments: its finance officer and, per level, an approver of its group. */
export interface DemoStaff {
  finance: Actor;
  approverOf(request: DisbursementRequest, level: string): Actor;
}

/** A demo's staff, at addresses of `domain`, in `jurisdiction` (none: the upgrade default, as the 2024 seed's). */
export const demoStaff = (domain: string, jurisdiction?: string): DemoStaff => {
  const claims = jurisdiction ? { jurisdiction } : {};
  return {
    finance: { sub: 'seed-ke-toan', email: `ketoan@${domain}`, groups: ['finance'], ...claims },
    approverOf: (request, level) => {
      const group = request.approvalLevels?.find((l) => l.level === level)?.group ?? level;
      return { sub: `seed-${group}`, email: `${group}@${domain}`, groups: [group], ...claims };
    },
  };
};
const TAY_GIANG_STAFF = demoStaff('taygiang.gov.vn');
/** Who records the demo's reallocation: the district's planning officer. */
const TAY_GIANG_PLANNER: Actor = {
  sub: 'seed-ke-hoach',
  email: 'kehoach@taygiang.gov.vn',
  groups: ['planner'],
};

/** A time of day in Vietnam. */
export const at = (date: string, time = '09:00') => new Date(`${date}T${time}:00+07:00`);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);
const millions = (vnd: number) => Math.round(vnd / 1_000_000) * 1_000_000;

/** What the demos write through: the ledger, the payee register, the dossiers' records and their bucket. */
export interface DemoDeps {
  store: LedgerStore;
  policies: ApprovalPolicies;
  payees: PayeeStore;
  documents: DocumentStore;
  objects: ObjectStorage;
  /** Told the number of requests submitted so far, after each (the runtime shows progress). */
  progress?: (requests: number) => void;
}

/** A work's contract, recorded just before its advance; amended, when it says so, before its first payment. */
export interface DemoContract {
  id: string;
  number: string;
  signedOn: string;
  payeeId: string;
  valueVnd: number;
  amendment?: { on: string; valueVnd: number; decisionNumber: string; reason: string };
}

export interface Payment {
  requestId: string;
  allocationId: string;
  /** A direct request's amount, an advance's, or a payment's gross (its recovery included). */
  amountVnd: number;
  /** A direct request's payee, by its id in the register; an advance's or payment's is its contract's. */
  payeeId?: string;
  /** The payee's kind, for the budget sub-item (support to households, or other). */
  payeeKind: PayeeKind;
  /** An advance records its contract first; a payment draws on it (the first one amends it when asked). */
  kind?: 'advance' | 'payment';
  contract?: DemoContract;
  recoveryVnd?: number;
  purpose: string;
  submittedAt: Date;
  /** Outputs the payment delivers, counted toward the plan's indicators once it is posted. */
  outputs?: Record<string, number>;
  /** How many levels approve, in order, two days apart; undefined approves the whole chain. */
  approvedLevels?: number;
  /** The level after the approved ones rejects the request (its reservation is released). */
  rejected?: boolean;
}

/** What a demo's seeding wrote. */
export interface DemoCounts {
  payees: number;
  contracts: number;
  /** Every request submitted: posted, still waiting at a level, or rejected. */
  requests: number;
  /** Requests whose last approval posted the payment to the ledger. */
  posted: number;
  rejected: number;
  documents: number;
}

/**
 * What a demo's seeding wrote, as the start-up log says it: the requests split into those posted to
 * the ledger (paid), those still waiting for an approval, and the rejected ones.
 */
export const describeDemo = (c: DemoCounts): string =>
  `${c.payees} payees in the register, ${c.contracts} contracts, ${c.requests} requests (${c.posted} payments posted, ${c.requests - c.posted - c.rejected} waiting for approval, ${c.rejected} rejected) with ${c.documents} verified documents`;

interface Decision {
  level: string;
  decision: 'approve' | 'reject';
  decidedAt: Date;
}

/** The request's decisions, two days apart from its submission: the approved levels, then a rejection if any. */
const decisionsOf = (p: Payment, request: DisbursementRequest): Decision[] => {
  const approved = p.approvedLevels ?? request.chain.length;
  return request.chain.slice(0, p.rejected ? approved + 1 : approved).map((level, i) => ({
    level,
    decision: i < approved ? 'approve' : 'reject',
    decidedAt: addDays(p.submittedAt, 2 + i * 2),
  }));
};

/** Applies one decision with the clock at its date; the last approval carries the dossier and the voucher. */
const decide = async (deps: DemoDeps, staff: DemoStaff, request: DisbursementRequest, d: Decision) => {
  const posts = d.decision === 'approve' && d.level === request.chain.at(-1);
  // The documents the entry hashes, checked as the decision use case checks them (documents_missing).
  const documents = posts
    ? await dossierForDecision(
        { documents: deps.documents, requirements: documentRequirements },
        request,
        d.level,
        'approve',
      )
    : undefined;
  // The Treasury's approval records its voucher, as the API requires of it.
  const atTreasury =
    d.decision === 'approve' && request.approvalLevels?.find((l) => l.level === d.level)?.tier === 'treasury';
  await applyApprovalEvent(
    { store: deps.store, policies: deps.policies, now: () => d.decidedAt },
    {
      eventId: `${request.id}-${d.level}`,
      requestId: request.id,
      fundingLine: request.fundingLine,
      level: d.level,
      decision: d.decision,
      ...(atTreasury ? { treasuryVoucher: demoVoucher(request.id, d.decidedAt) } : {}),
      ...(documents && documents.length > 0 ? { documents } : {}),
      actor: staff.approverOf(request, d.level),
      decidedAt: d.decidedAt.toISOString(),
    },
  );
};

/**
 * Everything of a payment up to its posting: its contract (recorded, or amended) when it opens or
 * changes one, the submission, the dossier (a few hours later), and every decision but a posting one;
 * answers the posting decision still to apply, if any.
 */
const prepare = async (
  deps: DemoDeps,
  staff: DemoStaff,
  p: Payment,
  counts: DemoCounts,
): Promise<(() => Promise<void>) | undefined> => {
  const { finance } = staff;
  const id = p.requestId;
  const { contract } = p;
  if (contract && p.kind === 'advance') {
    const signedAt = at(contract.signedOn);
    await createContract(
      {
        store: deps.store,
        payees: deps.payees,
        policy: contractPolicy,
        now: () => signedAt,
        newId: () => contract.id,
      },
      finance,
      {
        allocationId: p.allocationId,
        number: contract.number,
        signedOn: contract.signedOn,
        payeeId: contract.payeeId,
        valueVnd: contract.valueVnd,
        kind: 'construction',
      },
      `seed-${contract.id}`,
    );
    counts.contracts += 1;
  }
  const amendment = contract?.amendment;
  if (contract && amendment && p.kind === 'payment' && p.requestId === firstPaymentOf.get(contract.id)) {
    const amendedAt = at(amendment.on);
    await amendContract(
      { store: deps.store, now: () => amendedAt, newId: () => `${contract.id}-a1` },
      finance,
      contract.id,
      { decisionNumber: amendment.decisionNumber, reason: amendment.reason, valueVnd: amendment.valueVnd },
      `seed-${contract.id}-a1`,
    );
  }
  const allocation = await allocationOf(deps.store, jurisdictionOf(finance), p.allocationId);
  const budgetItem = allocation && demoBudgetItem(allocation, p.payeeKind);
  const body: NewRequest = {
    allocationId: p.allocationId,
    amountVnd: p.amountVnd,
    purpose: p.purpose,
    ...(p.kind && contract ? { kind: p.kind, contractId: contract.id } : {}),
    ...(p.kind === 'payment' ? { recoveryVnd: p.recoveryVnd ?? 0 } : {}),
    ...(p.payeeId ? { payeeId: p.payeeId } : {}),
    ...(p.outputs ? { outputs: p.outputs } : {}),
    ...(budgetItem ? { budgetItem } : {}),
  };
  const submitted = await submitRequest(
    {
      store: deps.store,
      policies: deps.policies,
      catalogue: demoOutputCatalogue,
      register: { payees: deps.payees, supportRules },
      now: () => p.submittedAt,
      newId: () => id,
    },
    finance,
    body,
    `seed-${id}`,
  );
  counts.requests += 1;
  deps.progress?.(counts.requests);
  const request = submitted.result;
  const documents = await provideDemoDossier(
    {
      store: deps.store,
      documents: deps.documents,
      objects: deps.objects,
      requirements: documentRequirements,
    },
    finance,
    request,
    new Date(p.submittedAt.getTime() + 2 * 3_600_000),
  );
  counts.documents += documents;
  const decisions = decisionsOf(p, request);
  const last = decisions.at(-1);
  const posting = last?.decision === 'approve' && last.level === request.chain.at(-1) ? last : undefined;
  for (const d of decisions) if (d !== posting) await decide(deps, staff, request, d);
  if (decisions.some((d) => d.decision === 'reject')) counts.rejected += 1;
  return posting
    ? async () => {
        await decide(deps, staff, request, posting);
        counts.posted += 1;
      }
    : undefined;
};

/** The demos' allocations as read once (their budget codes do not change). */
const allocations = new Map<string, Promise<Allocation | undefined>>();
const allocationOf = (store: LedgerStore, jurisdiction: string, id: string) => {
  const key = `${jurisdiction}|${id}`;
  const cached = allocations.get(key) ?? store.getAllocation(jurisdiction, id);
  allocations.set(key, cached);
  return cached;
};

/** The first payment of each contract, by contract id (it applies the contract's amendment). */
const firstPaymentOf = new Map<string, string>();

/**
 * Posts a demo's payments, each group (one allocation's, in date order) on its own. Allocations are
 * independent, so groups run a few at a time. Within a group postings go in order, as the allocation's
 * hash chain requires; a group of direct requests prepares them a few at a time (submission, dossier,
 * first levels) and posts them in order; a contract's requests go one after the other (a payment
 * recovers the advance once it is posted).
 */
export const payAll = async (
  deps: DemoDeps,
  staff: DemoStaff,
  groups: Payment[][],
): Promise<Omit<DemoCounts, 'payees'>> => {
  const counts: DemoCounts = { payees: 0, contracts: 0, requests: 0, posted: 0, rejected: 0, documents: 0 };
  for (const p of groups.flat()) {
    if (p.kind === 'payment' && p.contract && !firstPaymentOf.has(p.contract.id))
      firstPaymentOf.set(p.contract.id, p.requestId);
  }
  await inParallel(groups, 12, async (group) => {
    if (group.some((p) => p.kind !== undefined)) {
      for (const p of group) await (await prepare(deps, staff, p, counts))?.();
      return;
    }
    const postings = new Map<Payment, () => Promise<void>>();
    await inParallel(group, 4, async (p) => {
      const post = await prepare(deps, staff, p, counts);
      if (post) postings.set(p, post);
    });
    for (const p of group) await postings.get(p)?.();
  });
  const { payees: _, ...rest } = counts;
  return rest;
};

/** Numbers each allocation's payments, in order, as its requests' ids (`<allocation>-r1`, …); empty ones are left out. */
export const numbered = (payments: Omit<Payment, 'requestId'>[]): Payment[][] => {
  const byAllocation = Map.groupBy(
    payments.filter((p) => p.amountVnd > 0),
    (p) => p.allocationId,
  );
  return [...byAllocation.values()].map((list) =>
    list.map((p, i): Payment => ({ ...p, requestId: `${p.allocationId}-r${i + 1}` })),
  );
};

/** A work's contract and its requests: the advance, the planned payments, then any further ones. */
export interface DemoWork {
  allocationId: string;
  contract: DemoContract;
  plan: ContractPlan;
  title: string;
  /** When the advance, then each payment, is submitted. */
  dates: Date[];
  /** Outputs declared by the last planned payment (the work completed). */
  outputs?: Record<string, number>;
  /** Further payments after the planned ones: still waiting, or rejected. */
  more?: {
    grossVnd: number;
    submittedAt: Date;
    purpose: string;
    approvedLevels: number;
    rejected?: boolean;
  }[];
}

/** The requests of a work paid through its contract. */
export const workRequests = (w: DemoWork): Omit<Payment, 'requestId'>[] => {
  const base = { allocationId: w.allocationId, payeeKind: 'contractor' as const, contract: w.contract };
  const date = (i: number) => w.dates[i] ?? w.dates.at(-1) ?? new Date(0);
  let plan = w.plan;
  const out: Omit<Payment, 'requestId'>[] = [
    {
      ...base,
      kind: 'advance',
      amountVnd: w.plan.advanceVnd,
      purpose: `Tạm ứng hợp đồng ${w.contract.number}, ${w.title}`,
      submittedAt: date(0),
    },
    ...w.plan.payments.map((p, i) => ({
      ...base,
      kind: 'payment' as const,
      amountVnd: p.grossVnd,
      recoveryVnd: p.recoveryVnd,
      purpose: `Thanh toán khối lượng hoàn thành đợt ${i + 1}, ${w.title}`,
      submittedAt: date(i + 1),
      ...(i === w.plan.payments.length - 1 && w.outputs ? { outputs: w.outputs } : {}),
    })),
  ];
  for (const more of w.more ?? []) {
    const next = nextPayment(plan, more.grossVnd);
    plan = { ...plan, payments: [...plan.payments, next] };
    out.push({
      ...base,
      kind: 'payment',
      amountVnd: next.grossVnd,
      recoveryVnd: next.recoveryVnd,
      purpose: more.purpose,
      submittedAt: more.submittedAt,
      approvedLevels: more.approvedLevels,
      ...(more.rejected ? { rejected: true } : {}),
    });
  }
  return out;
};

/** The contract of a plan: signed at its signing value, amended to its value when the plan says so. */
export const demoContract = (
  fields: Omit<DemoContract, 'valueVnd' | 'amendment'>,
  plan: ContractPlan,
  amendment?: Omit<NonNullable<DemoContract['amendment']>, 'valueVnd'>,
): DemoContract => ({
  ...fields,
  valueVnd: plan.signedValueVnd ?? plan.valueVnd,
  ...(plan.signedValueVnd !== undefined && amendment
    ? { amendment: { ...amendment, valueVnd: plan.valueVnd } }
    : {}),
});

const TG_CONTRACTORS = [
  'Công ty TNHH Xây dựng Tây Giang',
  'Công ty CP Xây dựng Giao thông Quảng Nam',
  'Công ty TNHH MTV Xây lắp Điện Trường Sơn',
  'Hợp tác xã Xây dựng Bhalêê',
];
/** The district seat: where the district's contractors and agencies are registered. */
const SEAT = 'A Tiêng';
/** The DA1 works of each commune, one per funding line, each under its own contract. */
const WORKS = {
  central: 'đường giao thông liên thôn',
  provincial: 'công trình thủy lợi',
  local: 'nhà văn hóa và đường nội thôn',
} as const;
/** Works whose advance is fully recovered by 30/09/2024 (payments past 80% of the value). */
const RECOVERED = new Set(['A Nông/local', 'A Vương/local', 'Dang/local', "Tr'Hy/local"]);

/** The Tây Giang demo's payees: contractors, cooperatives, agencies, and the households housed under DA5. */
export const demoPayees = (): { payees: DemoPayee[]; households: Map<string, string[]> } => {
  const payees: DemoPayee[] = [];
  let org = 0;
  const organisation = (
    id: string,
    kind: 'contractor' | 'cooperative' | 'agency',
    name: string,
    commune: string,
  ) => {
    payees.push(demoOrganisation(id, kind, name, commune, ++org));
  };
  for (const [i, name] of TG_CONTRACTORS.entries())
    organisation(`tg-nha-thau-${i + 1}`, 'contractor', name, SEAT);
  for (const commune of Object.keys(DA1_DISBURSED))
    organisation(`tg-htx-${slug(commune)}`, 'cooperative', `Hợp tác xã nông nghiệp ${commune}`, commune);
  organisation('tg-htx-duoc-lieu', 'cooperative', 'Hợp tác xã Dược liệu Tây Giang', SEAT);
  organisation('tg-tht-bo-a-tieng', 'cooperative', 'Tổ hợp tác chăn nuôi bò A Tiêng', SEAT);
  organisation('tg-tt-gdnn', 'agency', 'Trung tâm Giáo dục nghề nghiệp - GDTX huyện Tây Giang', SEAT);
  organisation('tg-cty-viet-lao', 'agency', 'Công ty CP Hợp tác lao động Việt - Lào', SEAT);
  organisation('tg-ttvh-tt', 'agency', 'Trung tâm Văn hóa - Thể thao và Truyền thông huyện Tây Giang', SEAT);
  for (const commune of Object.keys(DA1_DISBURSED))
    organisation(`tg-ubnd-${slug(commune)}`, 'agency', `Ủy ban nhân dân xã ${commune}`, commune);
  const households = new Map<string, string[]>();
  let person = 0;
  for (const [commune, houses] of Object.entries(HOUSES_PAID)) {
    // Dang has one more: the household whose request waits on 30/09.
    const count = houses + (commune === 'Dang' ? 1 : 0);
    const ids = Array.from({ length: count }, (_, i) => `tg-ho-${slug(commune)}-${i + 1}`);
    for (const id of ids) payees.push(demoHousehold(id, commune, ++person));
    households.set(commune, ids);
  }
  // The planted shared account: the cooperative paid into a housed household's account.
  const account = payees.find((p) => p.id === PLANTED_SHARED_ACCOUNT.accountOfPayeeId)?.bankAccount;
  const cooperative = payees.find((p) => p.id === PLANTED_SHARED_ACCOUNT.payeeId);
  if (account && cooperative) cooperative.bankAccount = { ...account };
  return { payees, households };
};

/** The payments of the demo, grouped by allocation, each group in date order, with deterministic ids. */
export const demoPayments = (
  assigned: ReadonlyMap<string, number>,
  households: ReadonlyMap<string, readonly string[]>,
): Payment[][] => {
  const groups: Omit<Payment, 'requestId'>[][] = [];
  const id = (component: string, line: string, commune: string) =>
    `${DEMO_FISCAL_YEAR}-${component.toLowerCase()}-${line}-${slug(commune)}`;
  let contractNumber = 0;
  Object.entries(DA1_DISBURSED).forEach(([commune, shares], c) => {
    const day = String(8 + c).padStart(2, '0');
    const month = String(5 + (c % 4)).padStart(2, '0');
    (['central', 'provincial', 'local'] as const).forEach((line, l) => {
      const allocationId = id('DA1', line, commune);
      const recovered = RECOVERED.has(`${commune}/${line}`);
      const amended = commune === 'A Nông' && line === 'central';
      const planned = contractPlan(millions((assigned.get(allocationId) ?? 0) * shares[line]), {
        ceilingVnd: assigned.get(allocationId) ?? 0,
        recovered,
        payments: recovered || line === 'central' ? 2 : 1,
        amended,
      });
      const split = allocationId === PLANTED_SPLIT.allocationId;
      const plan = split ? splitLastPayment(planned, PLANTED_SPLIT.partsVnd) : planned;
      if (plan.advanceVnd <= 0) return;
      contractNumber += 1;
      const contract = demoContract(
        {
          id: `${allocationId}-hd`,
          number: `${String(contractNumber).padStart(2, '0')}/2024/HĐXD`,
          signedOn: `2024-03-${day}`,
          payeeId: `tg-nha-thau-${((c + l) % TG_CONTRACTORS.length) + 1}`,
        },
        plan,
        {
          on: '2024-05-02',
          decisionNumber: '215/QĐ-UBND',
          reason: 'Điều chỉnh hợp đồng: bổ sung khối lượng rãnh thoát nước dọc tuyến (minh họa)',
        },
      );
      const more =
        commune === 'A Xan' && line === 'central'
          ? [
              {
                grossVnd: 300_000_000,
                submittedAt: at('2024-09-17'),
                purpose: `Thanh toán khối lượng hoàn thành đợt 3, ${WORKS.central} xã A Xan`,
                approvedLevels: 1, // district approves on 19/09, then it waits at province: 11 days, a warning
              },
            ]
          : commune === 'Bha Lê' && line === 'local'
            ? [
                {
                  grossVnd: 60_000_000,
                  submittedAt: at('2024-09-26'),
                  purpose: `Thanh toán khối lượng hoàn thành đợt 2, ${WORKS.local} xã Bha Lê`,
                  approvedLevels: 0, // 4 days on 30/09: not stalled
                },
              ]
            : [];
      groups.push(
        workRequests({
          allocationId,
          contract,
          plan,
          title: `${WORKS[line]} xã ${commune}`,
          dates: [
            at(`2024-04-${day}`),
            at(`2024-${month}-${day}`),
            ...(split
              ? PLANTED_SPLIT.submittedOn.map((d) => at(d))
              : [at(`2024-09-${String(1 + c).padStart(2, '0')}`)]),
          ],
          ...(line === 'central' && WORKS_DONE[commune] ? { outputs: WORKS_DONE[commune] } : {}),
          more,
        }),
      );
    });
    // Housing (DA5): one request per household, each a register payee housed once.
    const homes = households.get(commune) ?? [];
    const paid = HOUSES_PAID[commune] ?? 0;
    groups.push(
      homes.slice(0, paid).map((payeeId, i) => ({
        allocationId: id('DA5', 'central', commune),
        amountVnd: 40_000_000,
        payeeId,
        payeeKind: 'household' as const,
        purpose: 'Hỗ trợ xây mới nhà ở cho hộ nghèo (1 nhà)',
        submittedAt: addDays(at('2024-06-03'), c + 2 * i),
        outputs: { houses: 1 },
      })),
    );
    // The community's contributions to the houses built, recorded by the commune in September.
    groups.push([
      {
        allocationId: id('DA5', 'community', commune),
        amountVnd: paid * COMMUNITY_CONTRIBUTION_PER_HOUSE_VND,
        payeeId: `tg-ubnd-${slug(commune)}`,
        payeeKind: 'agency',
        purpose: `Đóng góp của cộng đồng (ngày công, vật liệu) xây nhà ở cho hộ nghèo (${paid} nhà)`,
        submittedAt: at(`2024-09-${String(2 + c).padStart(2, '0')}`),
      },
    ]);
    // Livelihoods (DA2): the models, then their seed and materials; the province's counterpart.
    const models = MODELS_PAID[commune] ?? 0;
    const share = DA2_DISBURSED[commune] ?? 0;
    const central = id('DA2', 'central', commune);
    const provincial = id('DA2', 'provincial', commune);
    const cooperative = { payeeId: `tg-htx-${slug(commune)}`, payeeKind: 'cooperative' as const };
    groups.push([
      {
        allocationId: central,
        amountVnd: models * MODEL_SUPPORT_VND,
        ...cooperative,
        purpose: `Hỗ trợ mô hình sinh kế giảm nghèo (${models} mô hình)`,
        submittedAt: at(`2024-07-${day}`),
        outputs: { models },
      },
      {
        allocationId: central,
        amountVnd: Math.max(0, millions((assigned.get(central) ?? 0) * share) - models * MODEL_SUPPORT_VND),
        ...cooperative,
        purpose: `Hỗ trợ giống, vật tư cho ${models} mô hình sinh kế đã triển khai`,
        submittedAt: at(`2024-08-${day}`),
      },
      {
        allocationId: provincial,
        amountVnd: millions((assigned.get(provincial) ?? 0) * share),
        ...cooperative,
        purpose: `Vốn đối ứng tỉnh cho mô hình sinh kế (${models} mô hình)`,
        submittedAt: at(`2024-08-${day}`, '14:00'),
      },
    ]);
  });
  // District-wide production support (DA3) and jobs (DA4), at the district seat.
  groups.push([
    {
      allocationId: id('DA3', 'central', SEAT),
      amountVnd: 600_000_000,
      payeeId: 'tg-htx-duoc-lieu',
      payeeKind: 'cooperative',
      purpose: 'Dự án hỗ trợ phát triển sản xuất chuỗi giá trị ba kích, đảng sâm (2 dự án)',
      submittedAt: at('2024-06-12'),
      outputs: { models: 2 },
    },
    {
      allocationId: id('DA3', 'central', SEAT),
      amountVnd: 450_000_000,
      payeeId: 'tg-tht-bo-a-tieng',
      payeeKind: 'cooperative',
      purpose: 'Dự án hỗ trợ phát triển sản xuất cộng đồng, chăn nuôi bò sinh sản (1 dự án)',
      submittedAt: at('2024-08-20'),
      outputs: { models: 1 },
    },
  ]);
  groups.push([
    {
      allocationId: id('DA4', 'central', SEAT),
      amountVnd: 420_000_000,
      payeeId: 'tg-tt-gdnn',
      payeeKind: 'agency',
      purpose: 'Đào tạo nghề và giới thiệu việc làm trong nước (126 lao động)',
      submittedAt: at('2024-05-15'),
      outputs: { workers: 126 },
    },
    {
      allocationId: id('DA4', 'central', SEAT),
      amountVnd: 280_000_000,
      payeeId: 'tg-cty-viet-lao',
      payeeKind: 'agency',
      purpose: 'Hỗ trợ đưa lao động đi làm việc tại Lào (31 lao động)',
      submittedAt: at('2024-08-05'),
      outputs: { workersAbroad: 31 },
    },
  ]);
  // Communication (DA6) and capacity building (DA7), at the district seat.
  groups.push([
    {
      allocationId: id('DA6', 'central', SEAT),
      amountVnd: 190_000_000,
      payeeId: 'tg-ttvh-tt',
      payeeKind: 'agency',
      purpose: 'Truyền thông về giảm nghèo: phóng sự, pa-nô, bản tin tiếng Cơ Tu (6 tháng)',
      submittedAt: at('2024-07-10'),
    },
  ]);
  groups.push([
    {
      allocationId: id('DA7', 'central', SEAT),
      amountVnd: 280_000_000,
      payeeId: 'tg-tt-gdnn',
      payeeKind: 'agency',
      purpose: 'Tập huấn nâng cao năng lực cán bộ giảm nghèo cấp xã, thôn (4 lớp)',
      submittedAt: at('2024-06-18'),
    },
  ]);
  // Still waiting on 30/09/2024 (with A Xan's and Bha Lê's payments above): a household's house.
  groups.push([
    {
      allocationId: id('DA5', 'central', 'Dang'),
      amountVnd: 40_000_000,
      payeeId: households.get('Dang')?.at(-1) ?? '',
      payeeKind: 'household',
      purpose: 'Hỗ trợ xây mới nhà ở cho hộ nghèo, đợt 3 (1 nhà)',
      submittedAt: at('2024-09-10'),
      approvedLevels: 0, // waits at district from 10/09: 20 days on 30/09, critical
    },
  ]);
  return numbered(groups.flat());
};

/** Seeds the history over the freshly seeded plan: the register's payees, then the payments. */
export const seedDemoHistory = async (deps: DemoDeps): Promise<DemoCounts> => {
  const allocations = await deps.store.listAllocations({
    fiscalYear: DEMO_FISCAL_YEAR,
    jurisdiction: UPGRADE_DEFAULT_JURISDICTION,
  });
  const { payees, households } = demoPayees();
  const registered = await registerDemoPayees(
    { payees: deps.payees, now: () => at('2024-01-15') },
    TAY_GIANG_STAFF.finance,
    payees,
  );
  const groups = demoPayments(new Map(allocations.map((a) => [a.id, a.assignedVnd])), households);
  const paid = await payAll(deps, TAY_GIANG_STAFF, groups);
  await createReallocation(
    { store: deps.store, now: () => at(DEMO_REALLOCATION_AT, '15:00'), newId: () => DEMO_REALLOCATION_ID },
    TAY_GIANG_PLANNER,
    DEMO_REALLOCATION,
    `seed-${DEMO_REALLOCATION_ID}`,
  );
  return { payees: registered, ...paid };
};
