/**
 * Province scale (issue 20): a generated province — 100 communes × 4 funding lines × 7 projects (2,800
 * allocations) in two jurisdictions — with 100,000 and then 1,000,000 ledger entries, and the reads that
 * must not grow with the ledger: the monitor run, the progress report, the disbursement series (also as a
 * commune's reader), an audit page, an allocation statement and a forecast. Each is timed (p50 of a few
 * runs) and its DynamoDB read requests counted for the function that serves it.
 *
 * `measureProvinceScale(ctx)` is called by bench/run.ts with the running local runtime; standalone:
 * `node scripts/run.mjs bench/province.ts` starts its own DynamoDB Local and runtime (options at the
 * end of this file: `--dynamo-dir`, `--keep`, `--reuse`, `--no-digest`, `--runs`).
 *
 * Each size is its own province (two fresh jurisdictions, fresh allocations), so every hash chain is in
 * posting order and no day gets entries after it was summarised, as in production. The jurisdictions are
 * generated as configuration files are and checked by the same loader (shared/jurisdictions/config), then
 * served by this process beside the configured ones: the reads see communes that are real units of the
 * jurisdiction in the fiscal year. Entries, requests and allocations are written with BatchWriteItem,
 * straight to the table, in the shapes and keys the repositories write (real hash chains, approvals,
 * Treasury vouchers, budget codes), so they look like the real ones to every read.
 */
// First, before any logger is made: the functions log warnings and errors only, as in `npm run bench`.
import './quiet.ts';
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditRepository } from '../shared/audit/adapters/audit-repository.ts';
import { JURISDICTIONS } from '../shared/jurisdictions/config/index.ts';
import { loadJurisdictions } from '../shared/jurisdictions/config/load-jurisdictions.ts';
import type { Jurisdiction } from '../shared/jurisdictions/domain/administrative-unit.ts';
import { DynamoLedgerRepository } from '../shared/ledger/adapters/ledger-repository.ts';
import type { Allocation } from '../shared/ledger/domain/allocation.ts';
import type { DisbursementRequest } from '../shared/ledger/domain/disbursement-request.ts';
import type { FundingLine } from '../shared/ledger/domain/funding-line.ts';
import { GENESIS_HASH } from '../shared/ledger/domain/hash-chain.ts';
import { buildDisbursementEntry } from '../shared/ledger/domain/ledger-entry.ts';
import { DynamoDaySnapshotRepository } from '../shared/monitoring/adapters/day-snapshot-repository.ts';
import { DynamoDaySummaryRepository } from '../shared/monitoring/adapters/day-summary-repository.ts';
import { DynamoIntegrityDigestRepository } from '../shared/monitoring/adapters/integrity-digest-repository.ts';
import { DynamoMonitoringRepository } from '../shared/monitoring/adapters/monitoring-repository.ts';
import { summariseClosedDays } from '../shared/monitoring/app/day-summaries.ts';
import { candidateSettingsFrom } from '../shared/monitoring/app/integrity-digest.ts';
import { integrityConfig } from '../shared/monitoring/config/integrity.ts';
import { BATCH_WRITE_LIMIT, putAll } from '../shared/platform/aws/dynamo-items.ts';
import { approvalPolicies } from '../shared/platform/config/approval-policies/index.ts';
import { supportRules } from '../shared/platform/config/support-rules/index.ts';
import { allocationKeys, entryKeys, requestKeys } from '../shared/platform/table/keys.ts';
import {
  addDays,
  daysBetween,
  vnDateOf,
  vnMidnight,
  weekdayOf,
  yearOf,
} from '../shared/platform/vn-calendar.ts';
import { capacityUnitsOf, consumedCapacityOf } from './capacity.ts';

/** What the bench needs of the running system; bench/run.ts passes its own (instrumented) counters. */
export interface ProvinceContext {
  /** The local gateway's base URL. */
  url: string;
  tableName: string;
  /** A document client straight to DynamoDB Local, not counted: the fill and the summarising job use it. */
  db: DynamoDBDocumentClient;
  /** A signed token for these claims (the local runtime's `keys.sign`). */
  token: (claims: {
    sub: string;
    groups: string[];
    jurisdiction: string;
    commune?: string;
  }) => Promise<string>;
  /**
   * DynamoDB read requests per function since the last reset (bench/run.ts: `counters.readsByFunction`),
   * and the read units DynamoDB reported for them: the same requests can read more bytes as a table grows.
   */
  reads: {
    reset: () => void;
    requestsOf: (functionId: string) => number;
    unitsOf: (functionId: string) => number;
    /**
     * Each DynamoDB request of a function since the last reset, in the order sent, with its time (from
     * send to answer, in this process) and, for reads, its units: where a row's time goes. Optional.
     */
    timedOf?: (functionId: string) => readonly TimedRequest[];
  };
  log?: (line: string) => void;
  /** Ledger sizes, smallest first (default 100,000 and 1,000,000). */
  sizes?: readonly number[];
  /** Timed runs per read (default 5, after one warm-up). */
  runs?: number;
  /** DynamoDB Local's port, to report its memory (the resident set of its Java process) after each fill. */
  dynamoPort?: number;
  /**
   * Whether the daily job's first pass also builds the integrity digest (default true). Without it the
   * preparation is about half as long (at 100,000 entries the digest took longer than the summaries), and
   * the monitor run is not measured: it would judge the integrity rules from the whole year's requests.
   */
  digest?: boolean;
  /**
   * The table already holds the province of each size, from an earlier run whose DynamoDB Local file was
   * kept (`--keep`): read back, not filled again. The daily job still catches up the days closed since.
   */
  reuse?: boolean;
}

/** One DynamoDB request as the counting middleware saw it. */
export interface TimedRequest {
  /** What it asks: command, index, key condition (no values), e.g. `Query gsi1 gsi1pk = :pk`. */
  request: string;
  ms: number;
  readUnits: number;
}

/** One measured read at one ledger size. */
export interface ProvinceRow {
  operation: string;
  ledgerEntries: number;
  p50Ms: number;
  dynamoReads: number;
  /** The read units of those requests (p50): what they read, in 4 KB units (eventually consistent reads ½). */
  readUnits: number;
  /** Why the read could not be measured (after retries), when it could not. */
  failure?: string;
  /** The monitor run's findings (its last run): what it judged alike at each size, or not. */
  findings?: number;
  /**
   * Its DynamoDB requests one by one (when the counter times them), the n-th of each kind across runs:
   * p50 of its time and of its read units. Concurrent requests' times overlap.
   */
  requests?: { request: string; p50Ms: number; readUnits: number }[];
}

export interface ProvinceResult {
  rows: ProvinceRow[];
  /** Per size: seconds to fill, to summarise the days, entries and requests written, DynamoDB Local's memory. */
  fills: {
    ledgerEntries: number;
    allocations: number;
    fillSeconds: number;
    /** The province was read back from a kept table, not filled (fillSeconds 0). */
    reused?: boolean;
    summariseSeconds: number;
    /** Seconds the integrity digest's first pass took over the whole year's requests (absent: not built). */
    digestSeconds?: number;
    summarisedDays: number;
    dynamoRssMb?: number;
  }[];
  /** Per operation: time and reads at the largest size ÷ at the smallest. */
  ratios: { operation: string; timeRatio: number; readsRatio: number }[];
  seconds: number;
}

/** The function id of a read made straight from the bench (its reads are not counted). */
const STORE_ALONE = '(the bench itself)';

const FUNDING_LINES: FundingLine[] = ['central', 'provincial', 'local', 'community'];
const PROJECTS = ['DA1', 'DA2', 'DA3', 'DA4', 'DA5', 'DA6', 'DA7'];
const COMMUNES_PER_JURISDICTION = 50;
const FIRST = ['An', 'Bình', 'Hòa', 'Phú', 'Tân', 'Thạnh', 'Long', 'Phước', 'Hưng', 'Thuận'];
const SECOND = ['Sơn', 'Lộc', 'Điền', 'Thành', 'Mỹ', 'Tây', 'Đông', 'Hải', 'Trung', 'Xuân'];
const ASCII: Record<string, string> = {
  Bình: 'binh',
  Hòa: 'hoa',
  Phú: 'phu',
  Tân: 'tan',
  Thạnh: 'thanh',
  Phước: 'phuoc',
  Hưng: 'hung',
  Thuận: 'thuan',
  Sơn: 'son',
  Lộc: 'loc',
  Điền: 'dien',
  Thành: 'thanh',
  Mỹ: 'my',
  Tây: 'tay',
  Đông: 'dong',
  Hải: 'hai',
  Xuân: 'xuan',
};
const slug = (word: string) => ASCII[word] ?? word.toLowerCase();

/** 100 commune names of the generated province, two syllables each ("An Sơn", "Bình Lộc", …). */
const COMMUNES = FIRST.flatMap((a) =>
  SECOND.map((b) => ({ name: `${a} ${b}`, id: `xa-${slug(a)}-${slug(b)}` })),
);

/**
 * The generated province's two jurisdictions for one ledger size, as configuration files write them,
 * checked by the loader and served by this process from then on (idempotent).
 */
export const serveProvince = (size: number): Jurisdiction[] => {
  const files = ['a', 'b'].map((half, h) => {
    const id = `tinh-mau-${size}-${half}`;
    return {
      file: `bench/province/${id}.json`,
      content: {
        id,
        unit: id,
        sources: ['Generated by bench/province.ts: an illustrative province, not a real one'],
        localBudget: { vi: 'Ngân sách tỉnh', en: 'provincial budget' },
        units: [
          { id, name: `Tỉnh mẫu ${half.toUpperCase()}`, tier: 'province', validFrom: '2025-07-01' },
          ...COMMUNES.slice(h * COMMUNES_PER_JURISDICTION, (h + 1) * COMMUNES_PER_JURISDICTION).map((c) => ({
            id: c.id,
            name: c.name,
            tier: 'commune',
            parent: id,
            validFrom: '2025-07-01',
          })),
        ],
      },
    };
  });
  const loaded = loadJurisdictions(files);
  const served = JURISDICTIONS as Jurisdiction[];
  for (const j of loaded) if (!served.some((s) => s.id === j.id)) served.push(j);
  return loaded;
};

/** A deterministic pseudo-random generator (mulberry32): the same province every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/** The working days of the fiscal year up to yesterday in Vietnam (postings happen on them). */
const workingDays = (fiscalYear: number, today: string) => {
  const days: string[] = [];
  for (let d = `${fiscalYear}-01-02`; d < today && yearOf(d) === fiscalYear; d = addDays(d, 1)) {
    if (weekdayOf(d) !== 0 && weekdayOf(d) !== 6) days.push(d);
  }
  return days;
};

/** Writes items with BatchWriteItem, `parallel` batches in flight, retrying what DynamoDB leaves unprocessed. */
class BatchWriter {
  private batch: Record<string, unknown>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  written = 0;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly parallel: number,
  ) {}

  async put(item: Record<string, unknown>) {
    this.batch.push(item);
    if (this.batch.length === BATCH_WRITE_LIMIT) await this.flush();
  }

  private async flush() {
    const items = this.batch;
    this.batch = [];
    if (items.length === 0) return;
    while (this.inFlight.size >= this.parallel) await Promise.race(this.inFlight);
    const p = this.send(items).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async send(items: Record<string, unknown>[]) {
    this.written += await putAll(this.db, this.tableName, items);
  }

  async done() {
    await this.flush();
    await Promise.all(this.inFlight);
  }
}

const LEVELS = ['commune', 'city', 'treasury'] as const;
const PAYEE_NAMES = ['Hộ ông Hồ Văn', 'Hộ bà Bling Thị', 'Hộ ông A Lăng', 'Hộ bà Zơrâm Thị', 'Hộ ông Bríu'];

/**
 * Fills one province: its allocations (written last, with the heads and totals of their chains), and
 * per allocation a chain of disbursements in posting order over the year's working days, each with its
 * disbursed request (three approvals, the Treasury's voucher on the last).
 */
const fillProvince = async (
  ctx: ProvinceContext,
  jurisdictions: readonly Jurisdiction[],
  entries: number,
  fiscalYear: number,
  days: readonly string[],
) => {
  const rand = random(entries);
  const writer = new BatchWriter(ctx.db, ctx.tableName, 24);
  const allocations: Allocation[] = [];
  const createdAt = vnMidnight(`${fiscalYear}-01-01`).toISOString();
  for (const j of jurisdictions) {
    const communes = j.units.filter((u) => u.tier === 'commune');
    for (const commune of communes) {
      for (const fundingLine of FUNDING_LINES) {
        for (const component of PROJECTS) {
          const assignedVnd = (2 + Math.floor(rand() * 18)) * 1_000_000_000;
          allocations.push({
            id: randomUUID(),
            fiscalYear,
            fundingLine,
            capitalType: component === 'DA1' ? 'investment' : 'recurrent',
            component,
            commune: commune.name,
            investor: 'commune',
            jurisdiction: j.id,
            ...(fundingLine !== 'community'
              ? {
                  budgetCodes: {
                    chapter: '805',
                    sector: component === 'DA1' ? '280-292' : '280-338',
                    programme: '0070',
                    ...(component === 'DA1' ? { project: String(7_000_001 + allocations.length) } : {}),
                    source: fundingLine === 'central' ? '01' : '14',
                  },
                }
              : {}),
            title: `${component} ${commune.name} (${fundingLine})`,
            assignedVnd,
            reservedVnd: 0,
            disbursedVnd: 0,
            availableVnd: assignedVnd,
            deadline: `${fiscalYear + 1}-01-31`,
            headSeq: 0,
            headHash: GENESIS_HASH,
            createdAt,
            createdBy: 'bench-planner',
          });
        }
      }
    }
  }
  const perAllocation = entries / allocations.length;
  let made = 0;
  // A line every 15 s: a million entries take minutes to write.
  const fillStart = performance.now();
  let lastProgress = fillStart;
  const progress = () => {
    const now = performance.now();
    if (now - lastProgress < 15_000) return;
    lastProgress = now;
    const rate = made / ((now - fillStart) / 1000);
    ctx.log?.(
      `  filling: ${made.toLocaleString('en')} of ${entries.toLocaleString('en')} entries (${Math.floor((100 * made) / entries)}%), ${Math.round(rate).toLocaleString('en')}/s, about ${Math.ceil((entries - made) / rate)} s left`,
    );
  };
  for (const [i, allocation] of allocations.entries()) {
    progress();
    // Spread the remainder so the province holds exactly `entries`.
    const count = Math.floor((i + 1) * perAllocation) - Math.floor(i * perAllocation);
    const times = Array.from({ length: count }, () => {
      const day = days[Math.floor(rand() * days.length)] ?? days[0] ?? `${fiscalYear}-01-02`;
      // 08:00–17:00 in Vietnam.
      return vnMidnight(day).getTime() + (8 * 3600 + Math.floor(rand() * 9 * 3600)) * 1000;
    }).sort((a, b) => a - b);
    const amountVnd = Math.max(
      1_000_000,
      Math.floor((allocation.assignedVnd * 0.97) / Math.max(count, 1) / 1000) * 1000,
    );
    for (const t of times) {
      const postedAt = new Date(t);
      const requestId = randomUUID();
      const submittedAt = new Date(t - 3 * 86_400_000).toISOString();
      // A household per payment, never named twice in the province. Names that came round again (every
      // 4,985 payments, as they did) made the same household paid twice under a once-only support: no
      // such case at 100,000 entries, 34,200 double-support cases at a million (a commune's 28
      // allocations then span 20,000 payments), whose 68,400 requests the monitor read (docs/performance.md).
      const payee = {
        name: `${PAYEE_NAMES[made % PAYEE_NAMES.length]} ${made}`,
        kind: 'household' as const,
      };
      const approvals = LEVELS.map((level, n) => ({
        level,
        decision: 'approve' as const,
        by: `${level}-${allocation.commune}-${n}`,
        at: new Date(t - (2 - n) * 86_400_000).toISOString(),
        eventId: randomUUID(),
        ...(level === 'treasury'
          ? {
              treasuryVoucher: {
                number: `KB-${createHash('sha256').update(requestId).digest('hex').slice(0, 10).toUpperCase()}`,
                valueDate: vnDateOf(postedAt),
              },
            }
          : {}),
      }));
      const request: DisbursementRequest = {
        id: requestId,
        allocationId: allocation.id,
        fiscalYear,
        fundingLine: allocation.fundingLine,
        capitalType: allocation.capitalType,
        component: allocation.component,
        commune: allocation.commune,
        jurisdiction: allocation.jurisdiction ?? '',
        investor: 'commune',
        amountVnd,
        payee,
        purpose: `Hỗ trợ ${allocation.component} năm ${fiscalYear}`,
        ...(allocation.budgetCodes
          ? {
              budgetItem:
                allocation.capitalType === 'investment'
                  ? { item: '9300', subItem: '9303' }
                  : { item: '7150', subItem: '7199' },
            }
          : {}),
        status: 'disbursed',
        chain: [...LEVELS],
        approvals,
        submittedBy: `finance-${allocation.commune}`,
        createdAt: submittedAt,
        updatedAt: postedAt.toISOString(),
        version: 4,
      };
      const entry = buildDisbursementEntry(allocation, request, postedAt.toISOString());
      const j = allocation.jurisdiction ?? '';
      await writer.put({ ...entryKeys.item(j, entry), ...entry });
      await writer.put({ ...requestKeys.item(j, request), ...request });
      allocation.headSeq = entry.seq;
      allocation.headHash = entry.hash;
      allocation.disbursedVnd += entry.amountVnd;
      allocation.availableVnd -= entry.amountVnd;
      made += 1;
    }
  }
  for (const a of allocations) await writer.put({ ...allocationKeys.item(a.jurisdiction ?? '', a), ...a });
  await writer.done();
  return { allocations, made };
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** DynamoDB Local's resident memory in MB (its Java process, found by its port with `ps`), or undefined. */
const rssMb = (port: number | undefined) => {
  if (port === undefined) return undefined;
  try {
    const line = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.includes('DynamoDBLocal') && l.includes(`-port ${port}`));
    return line ? round(Number(line.trim().split(/\s+/)[0]) / 1024, 0) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The province of a size as an earlier run left it in the table (`reuse`): its allocations read back
 * through their yearly listing; its entries are taken to be the size asked (the fill writes exactly that).
 */
const provinceInTable = async (
  ctx: ProvinceContext,
  jurisdictions: readonly Jurisdiction[],
  size: number,
  fiscalYear: number,
) => {
  const listing = new DynamoMonitoringRepository(ctx.db, ctx.tableName);
  const allocations = (
    await Promise.all(jurisdictions.map((j) => listing.listAllocationsOfYear(j.id, fiscalYear)))
  ).flat();
  if (allocations.length === 0) {
    throw new Error(
      `the kept table holds no province of ${size.toLocaleString('en')} entries for ${fiscalYear}: run without --reuse to fill it`,
    );
  }
  // In the fill's order (jurisdiction, commune, funding line, project), so the reads measured on the
  // first allocations (the statement's) take the same ones as the run that filled the table.
  const communesOf = jurisdictions.map((j) => j.units.filter((u) => u.tier === 'commune').map((u) => u.name));
  const rank = (a: Allocation) => {
    const j = jurisdictions.findIndex((x) => x.id === a.jurisdiction);
    const commune = communesOf[j]?.indexOf(a.commune) ?? -1;
    return (
      ((j * 1000 + commune) * 10 + FUNDING_LINES.indexOf(a.fundingLine)) * 10 + PROJECTS.indexOf(a.component)
    );
  };
  return { allocations: allocations.sort((a, b) => rank(a) - rank(b)), made: size };
};

/** Generates the province at each size, summarises its closed days, and measures the reads. */
export const measureProvinceScale = async (ctx: ProvinceContext): Promise<ProvinceResult> => {
  const started = performance.now();
  const log = ctx.log ?? (() => {});
  const runs = ctx.runs ?? 5;
  const now = new Date();
  const today = vnDateOf(now);
  const fiscalYear = yearOf(today);
  const days = workingDays(fiscalYear, today);
  const rows: ProvinceRow[] = [];
  const fills: ProvinceResult['fills'] = [];
  for (const size of ctx.sizes ?? [100_000, 1_000_000]) {
    const jurisdictions = serveProvince(size);
    const [mine] = jurisdictions;
    if (!mine) throw new Error('the generated province has no jurisdiction');
    const f0 = performance.now();
    const { allocations, made } = ctx.reuse
      ? await provinceInTable(ctx, jurisdictions, size, fiscalYear)
      : await fillProvince(ctx, jurisdictions, size, fiscalYear, days);
    const fillSeconds = ctx.reuse ? 0 : round((performance.now() - f0) / 1000);
    // The daily job's summaries of the closed days (a first run over the whole year: every entry read once).
    log(
      ctx.reuse
        ? `  read back the kept province of ${made.toLocaleString('en')} entries (${allocations.length} allocations); summarising the days closed since…`
        : `  filled ${made.toLocaleString('en')} entries in ${fillSeconds} s; summarising the closed days…`,
    );
    // Timed apart: the summaries and snapshots first, then the integrity digest (the job does the digest
    // first; neither reads what the other writes).
    const jobDeps = {
      store: new DynamoLedgerRepository(ctx.db, ctx.tableName),
      entries: new DynamoAuditRepository(ctx.db, ctx.tableName),
      summaries: new DynamoDaySummaryRepository(ctx.db, ctx.tableName),
      snapshots: new DynamoDaySnapshotRepository(ctx.db, ctx.tableName),
      // The requests: each snapshot then keeps the day's pipeline, which the forecast as of a past day reads.
      requests: new DynamoMonitoringRepository(ctx.db, ctx.tableName),
      now: () => now,
    };
    const ids = jurisdictions.map((j) => j.id);
    // A line every 15 s: the first pass over a million entries takes half an hour, the digest's an hour.
    const daysDone = () => {
      const toDo = ids.length * daysBetween(`${fiscalYear}-01-01`, today);
      let done = 0;
      let lastLine = performance.now();
      return (day: { part: 'digest' | 'summary'; jurisdiction: string; date: string }) => {
        done += 1;
        if (performance.now() - lastLine < 15_000) return;
        lastLine = performance.now();
        log(
          `  ${day.part === 'digest' ? 'digesting' : 'summarising'}: ${day.jurisdiction} up to ${day.date} (${done} of about ${toDo} days)`,
        );
      };
    };
    const s0 = performance.now();
    const summarised = await summariseClosedDays(jobDeps, ids, { maxDays: 400, onDay: daysDone() });
    const summariseSeconds = round((performance.now() - s0) / 1000);
    log(`  ${summarised.days} days summarised in ${summariseSeconds} s; digesting the requests…`);
    const digest = ctx.digest ?? true;
    const d0 = performance.now();
    if (digest) {
      await summariseClosedDays(
        {
          ...jobDeps,
          integrity: {
            source: new DynamoMonitoringRepository(ctx.db, ctx.tableName),
            digest: new DynamoIntegrityDigestRepository(ctx.db, ctx.tableName),
            supportRules,
            settingsOf: candidateSettingsFrom(integrityConfig, approvalPolicies),
          },
        },
        ids,
        { maxDays: 400, onDay: daysDone() },
      );
    }
    const digestSeconds = digest ? round((performance.now() - d0) / 1000) : undefined;
    const fill = {
      ledgerEntries: made,
      allocations: allocations.length,
      fillSeconds,
      ...(ctx.reuse ? { reused: true } : {}),
      summariseSeconds,
      summarisedDays: summarised.days,
      ...(digestSeconds !== undefined ? { digestSeconds } : {}),
      ...(rssMb(ctx.dynamoPort) !== undefined ? { dynamoRssMb: rssMb(ctx.dynamoPort) } : {}),
    };
    fills.push(fill);
    log(
      `  province of ${made.toLocaleString('en')} entries, ${allocations.length} allocations: filled in ${fillSeconds} s, ${summarised.days} days summarised in ${summariseSeconds} s, ${digestSeconds !== undefined ? `digested in ${digestSeconds} s` : 'no integrity digest'}${fill.dynamoRssMb ? `, DynamoDB Local ${fill.dynamoRssMb} MB` : ''}`,
    );

    const claims = (sub: string, group: string, commune?: string) =>
      ctx.token({ sub, groups: [group], jurisdiction: mine.id, ...(commune ? { commune } : {}) });
    const planner = await claims('bench-planner', 'planner');
    const auditor = await claims('bench-auditor', 'auditor');
    const communeName = mine.units.find((u) => u.tier === 'commune')?.name ?? '';
    const communeReader = await claims('bench-commune', 'approver-commune', communeName);
    const statementOf =
      allocations.find((a) => a.jurisdiction === mine.id && a.headSeq > 0) ?? allocations[0];
    const asOf = addDays(today, -1);
    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(`${ctx.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined
            ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() }
            : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
      return text;
    };
    let monitorFindings: number | undefined;
    const entriesAlone = new DynamoAuditRepository(ctx.db, ctx.tableName);
    const operations: { operation: string; functionId: string; run: () => Promise<unknown> }[] = [
      {
        operation: 'monitor run',
        functionId: 'start-monitor-run',
        run: async () => {
          const body = JSON.parse(await call('POST', '/monitor/runs', planner, { asOf, fiscalYear }));
          monitorFindings = typeof body.findings === 'number' ? body.findings : undefined;
        },
      },
      {
        operation: 'progress report',
        functionId: 'progress-report',
        run: () => call('GET', `/reports/progress?fiscalYear=${fiscalYear}&groupBy=commune`, planner),
      },
      {
        operation: 'disbursement series',
        functionId: 'disbursement-series',
        run: () => call('GET', `/reports/disbursement-series?fiscalYear=${fiscalYear}`, planner),
      },
      {
        operation: "disbursement series (a commune's reader)",
        functionId: 'disbursement-series',
        run: () => call('GET', `/reports/disbursement-series?fiscalYear=${fiscalYear}`, communeReader),
      },
      {
        operation: 'audit page (100 entries)',
        functionId: 'list-ledger-entries',
        run: () => call('GET', `/ledger/entries?fiscalYear=${fiscalYear}&limit=100`, auditor),
      },
      {
        // The same page's Query through the repository, straight from this process: the store's share of
        // the time (no gateway, no function; not counted as a function's reads).
        operation: 'audit page: its Query alone',
        functionId: STORE_ALONE,
        run: async () => {
          await entriesAlone.queryEntries({ jurisdiction: mine.id, fiscalYear }, 100);
        },
      },
      {
        operation: 'allocation statement',
        functionId: 'get-allocation-statement',
        run: () => call('GET', `/allocations/${statementOf?.id}/statement`, auditor),
      },
      {
        // A page of the statement: its 50 newest lines, balances counted back from disbursedVnd.
        operation: 'allocation statement page (50 lines)',
        functionId: 'get-allocation-statement',
        run: () => call('GET', `/allocations/${statementOf?.id}/statement?limit=50`, auditor),
      },
      {
        operation: 'allocation statement page: its Query alone',
        functionId: STORE_ALONE,
        run: async () => {
          await entriesAlone.entriesNewestFirst(mine.id, statementOf?.id ?? '', 50);
        },
      },
      {
        // Made today (the default asOf, the dashboard's): the pipeline is the requests waiting now.
        operation: 'forecast (by commune, today)',
        functionId: 'list-forecasts',
        run: () => call('GET', `/forecasts?fiscalYear=${fiscalYear}&groupBy=commune`, planner),
      },
      {
        // Made as of yesterday: the pipeline then is reconstructed from the requests' history.
        operation: 'forecast (by commune, as of yesterday)',
        functionId: 'list-forecasts',
        run: () => call('GET', `/forecasts?fiscalYear=${fiscalYear}&asOf=${asOf}&groupBy=commune`, planner),
      },
    ];
    for (const op of operations) {
      // Recorded, not thrown: the other reads are still measured (DynamoDB Local starved of CPU times out).
      const notMeasured = (failure: string) => {
        rows.push({
          operation: op.operation,
          ledgerEntries: made,
          p50Ms: Number.NaN,
          dynamoReads: Number.NaN,
          readUnits: Number.NaN,
          failure,
        });
        log(`    ${op.operation}: ${failure}`);
      };
      if (!digest && op.operation === 'monitor run') {
        notMeasured('not measured: the integrity digest was not built (--no-digest)');
        continue;
      }
      // Warm-up. The monitor's first runs of the day queue its alerts, one after the other: an on-demand
      // run that times out (503) is repeated, as a planner would, until the day's alerts are all queued.
      let failure: string | undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          await op.run();
          break;
        } catch (error) {
          if (attempt >= 10 || !String(error).includes(': 503 ')) {
            failure = String(error).slice(0, 300);
            break;
          }
        }
      }
      const times: number[] = [];
      const reads: number[] = [];
      const units: number[] = [];
      const timed = new Map<string, { ms: number[]; units: number[] }>();
      for (let i = 0; i < runs && failure === undefined; i++) {
        ctx.reads.reset();
        const t0 = performance.now();
        try {
          await op.run();
        } catch (error) {
          failure = String(error).slice(0, 300);
          break;
        }
        times.push(performance.now() - t0);
        reads.push(ctx.reads.requestsOf(op.functionId));
        units.push(ctx.reads.unitsOf(op.functionId));
        const seen = new Map<string, number>();
        for (const r of ctx.reads.timedOf?.(op.functionId) ?? []) {
          const nth = (seen.get(r.request) ?? 0) + 1;
          seen.set(r.request, nth);
          const key = nth === 1 ? r.request : `${r.request} (#${nth})`;
          const t = timed.get(key) ?? { ms: [], units: [] };
          t.ms.push(r.ms);
          t.units.push(r.readUnits);
          timed.set(key, t);
        }
      }
      if (failure !== undefined) {
        notMeasured(`failed: ${failure}`);
        continue;
      }
      const findings = op.operation === 'monitor run' ? monitorFindings : undefined;
      const requests = [...timed].map(([request, t]) => ({
        request,
        p50Ms: round(median(t.ms)),
        readUnits: median(t.units),
      }));
      rows.push({
        operation: op.operation,
        ledgerEntries: made,
        p50Ms: round(median(times)),
        dynamoReads: median(reads),
        readUnits: median(units),
        ...(findings !== undefined ? { findings } : {}),
        ...(requests.length > 0 ? { requests } : {}),
      });
      log(
        `    ${op.operation}: ${round(median(times))} ms, ${median(reads)} DynamoDB reads, ${median(units)} read units${findings !== undefined ? `, ${findings} findings` : ''}`,
      );
      for (const r of requests) log(`      ${r.request}: ${r.p50Ms} ms, ${r.readUnits} read units`);
    }
  }
  const sizes = [...new Set(rows.map((r) => r.ledgerEntries))];
  const small = sizes[0];
  const large = sizes.at(-1);
  const ratios = [...new Set(rows.map((r) => r.operation))].map((operation) => {
    const a = rows.find((r) => r.operation === operation && r.ledgerEntries === small);
    const b = rows.find((r) => r.operation === operation && r.ledgerEntries === large);
    return {
      operation,
      timeRatio: a && b && a.p50Ms > 0 ? round(b.p50Ms / a.p50Ms, 2) : 0,
      readsRatio: a && b && a.dynamoReads > 0 ? round(b.dynamoReads / a.dynamoReads, 2) : 0,
    };
  });
  return { rows, fills, ratios, seconds: round((performance.now() - started) / 1000) };
};

// ---- Standalone: `node scripts/run.mjs bench/province.ts [--dynamo-dir DIR] [--keep | --reuse DIR] [--no-digest] [--runs N] [sizes…]`

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { existsSync, mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { parseArgs } = await import('node:util');
  const { localDynamoClient } = await import('../local/aws-local.ts');
  const { currentFunction } = await import('../local/function-loader.ts');
  const { startLocalRuntime } = await import('../local/runtime.ts');
  const { startDynamoDbLocal, startSqsEmulator } = await import('../local/servers.ts');
  const { createDocumentClient, sharedDocumentClient } = await import(
    '../shared/platform/aws/aws-clients.ts'
  );
  const { values: options, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      // DynamoDB Local keeps the table in a file (SQLite) under this folder instead of its Java heap. In its
      // heap a 100,000-entry province takes about 3 GB and a million would not fit this machine; as a file it
      // takes about 100 MB per 10,000 entries. On a tmpfs (/dev/shm) it fills about as fast as in the heap;
      // on this machine's disk, about 25 times slower (docs/performance.md).
      'dynamo-dir': { type: 'string' },
      // The DynamoDB Local folder is left in place at the end (its path is printed), for `--reuse`.
      keep: { type: 'boolean', default: false },
      // A folder an earlier run kept: its table already holds the province of each size, which is read
      // back instead of filled (the fill of a million takes over half an hour). The folder is kept.
      reuse: { type: 'string' },
      // The daily job's first pass builds no integrity digest, and the monitor run is not measured.
      'no-digest': { type: 'boolean', default: false },
      // Timed runs per read (default 5): more for a steadier p50 of the fast reads.
      runs: { type: 'string' },
    },
  });
  const sizes = positionals.map(Number);
  const runs = options.runs === undefined ? undefined : Number(options.runs);
  const wrong = [
    ...(sizes.some((n) => !Number.isInteger(n) || n <= 0)
      ? [`sizes are whole numbers of entries, e.g. 100000 1000000 (given: ${positionals.join(' ')})`]
      : []),
    ...(runs !== undefined && (!Number.isInteger(runs) || runs < 1)
      ? ['--runs takes a whole number ≥ 1']
      : []),
    ...(options.reuse !== undefined && !existsSync(join(options.reuse, 'shared-local-instance.db'))
      ? [`--reuse ${options.reuse}: no DynamoDB Local file there (a folder an earlier --keep printed)`]
      : []),
    ...(options.keep && options['dynamo-dir'] === undefined
      ? ['--keep needs --dynamo-dir: a table in the Java heap ends with its process']
      : []),
    ...(options.reuse !== undefined && options['dynamo-dir'] !== undefined
      ? ['--reuse and --dynamo-dir exclude each other: the kept folder is where the table is']
      : []),
  ];
  if (wrong.length > 0) {
    process.stderr.write(`${wrong.join('\n')}\n`);
    process.exit(2);
  }
  const digest = !options['no-digest'];
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const dataDir = mkdtempSync(join(tmpdir(), 'giai-ngan-province-'));
  const dynamoDir = options['dynamo-dir'];
  const dynamoFiles =
    options.reuse ?? (dynamoDir ? mkdtempSync(join(dynamoDir, 'giai-ngan-province-dynamodb-')) : undefined);
  const keep = options.keep || options.reuse !== undefined;
  const [dynamo, sqs] = await Promise.all([
    startDynamoDbLocal(dynamoFiles ? { dataDir: dynamoFiles } : {}),
    startSqsEmulator({}),
  ]);
  const stopServers = async () => {
    await Promise.all([dynamo.stop(), sqs.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const rt = await startLocalRuntime({
    dataDir,
    port: 0,
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: sqs.endpoint,
    namespace: 'province',
    seed: false,
    visibilityTimeoutSeconds: 30,
    // A million-entry run takes over an hour: the hourly jobs must not start on their own beside
    // the reads timed (in runs C and D they did, from the 3,600th second on: docs/performance.md).
    jobsOnInterval: false,
    log: () => {},
  }).catch(async (error: unknown) => {
    // A runtime that cannot start leaves no server behind (a kept table's DynamoDB Local went on
    // running once, holding the file). The table's folder is left as the finally below leaves it.
    await stopServers();
    if (dynamoFiles && !keep) rmSync(dynamoFiles, { recursive: true, force: true });
    throw error;
  });
  // Read requests per function and their read units, as bench/run.ts counts them; and every request timed.
  const readsByFunction = new Map<string, { requests: number; units: number }>();
  const timedByFunction = new Map<string, TimedRequest[]>();
  sharedDocumentClient().middlewareStack.add(
    (next, context) => async (args) => {
      const fn = currentFunction.getStore() ?? 'outside a function';
      const command = (context.commandName ?? '').replace(/Command$/, '');
      const read = !/Put|Update|Delete|TransactWrite|BatchWrite/.test(command);
      const input = args.input as Record<string, unknown>;
      if (read) input.ReturnConsumedCapacity = 'TOTAL';
      const t0 = performance.now();
      const result = await next(args);
      const ms = round(performance.now() - t0);
      const units = read ? capacityUnitsOf(consumedCapacityOf(result.output)) : 0;
      if (read) {
        const counted = readsByFunction.get(fn) ?? { requests: 0, units: 0 };
        readsByFunction.set(fn, { requests: counted.requests + 1, units: counted.units + units });
      }
      const request = [command, input.IndexName, input.KeyConditionExpression]
        .filter((part) => typeof part === 'string')
        .join(' ');
      const timed = timedByFunction.get(fn) ?? [];
      timed.push({ request, ms, readUnits: units });
      timedByFunction.set(fn, timed);
      return result;
    },
    { step: 'initialize', name: 'provinceCounter', override: true },
  );
  const raw = localDynamoClient(dynamo.endpoint);
  log('== Province scale: 100 communes × 4 funding lines × 7 projects, two jurisdictions ==');
  try {
    const result = await measureProvinceScale({
      url: rt.url,
      tableName: rt.tableName,
      db: createDocumentClient(raw),
      token: (claims) => rt.keys.sign(claims),
      reads: {
        reset: () => {
          readsByFunction.clear();
          timedByFunction.clear();
        },
        requestsOf: (id) => readsByFunction.get(id)?.requests ?? 0,
        unitsOf: (id) => readsByFunction.get(id)?.units ?? 0,
        timedOf: (id) => timedByFunction.get(id) ?? [],
      },
      log,
      ...(sizes.length > 0 ? { sizes } : {}),
      ...(runs !== undefined ? { runs } : {}),
      dynamoPort: dynamo.port,
      digest,
      reuse: options.reuse !== undefined,
    });
    log(JSON.stringify(result, null, 2));
  } finally {
    // The servers are this process's children: stopped whatever happened, so none is left running.
    await rt.stop();
    raw.destroy();
    await stopServers();
    if (dynamoFiles && keep) log(`DynamoDB Local's table kept in ${dynamoFiles}: --reuse ${dynamoFiles}`);
    else if (dynamoFiles) rmSync(dynamoFiles, { recursive: true, force: true });
  }
  process.exit(0);
}
