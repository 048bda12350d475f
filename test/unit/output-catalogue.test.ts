import { describe, expect, it } from 'vitest';
import { submitRequest } from '../../shared/ledger/app/requests.ts';
import { approvalPolicies } from '../../shared/platform/config/approval-policies/index.ts';
import { ValidationError } from '../../shared/platform/errors.ts';
import type { OutputCatalogue } from '../../shared/targets/app/ports.ts';
import { declaredOutputKeys, yearFigures } from '../../shared/targets/domain/plan-target.ts';
import { IndicatorBody } from '../../shared/targets/http/schemas.ts';
import { finance, givenAllocation, newRequest, planner, testEnv } from '../support/fixtures.ts';
import { InMemoryLedgerStore } from './support/in-memory-ledger-store.ts';

const catalogue = (keys: string[]): OutputCatalogue => ({ declaredOutputKeys: async () => keys });

const submitWith = async (outputs: Record<string, number>, keys = ['houses', 'workers']) => {
  const store = new InMemoryLedgerStore();
  const allocation = await givenAllocation(store);
  const deps = { store, policies: approvalPolicies, ...testEnv, catalogue: catalogue(keys) };
  return {
    store,
    answer: submitRequest(deps, finance, newRequest(allocation.id, 1_000_000, outputs), 'catalogue-key'),
  };
};

describe('declaredOutputKeys', () => {
  it('gathers the output keys of a year’s indicators and of their parts, once each, sorted', () => {
    expect(
      declaredOutputKeys([
        {
          outputKeys: ['workers', 'workersAbroad'],
          breakdown: [{ code: 'abroad', name: { vi: 'x', en: 'x' }, outputKeys: ['workersAbroad'] }],
        },
        { outputKeys: ['houses'] },
        {},
      ]),
    ).toEqual(['houses', 'workers', 'workersAbroad']);
  });
});

describe('a request’s outputs', () => {
  it('are accepted under the keys the year declares', async () => {
    const { answer } = await submitWith({ houses: 2, workers: 1 });

    expect((await answer).result.outputs).toEqual({ houses: 2, workers: 1 });
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'house'])(
    'are refused under %j with a 400 naming the key and the allowed ones, writing nothing',
    async (key) => {
      const { store, answer } = await submitWith({ houses: 1, [key]: 3 });

      const error = await answer.catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({
        code: 'invalid_request',
        details: { field: 'outputs', key, allowed: ['houses', 'workers'] },
      });
      expect((error as Error).message).toBe(
        `body.outputs: "${key}" is not an output key of the plan; use one of: houses, workers (the output keys of the 2024 indicators, GET /targets?fiscalYear=2024).`,
      );
      expect(store.requests.size).toBe(0);
    },
  );

  it('are refused when the year declares no output keys at all, saying how to declare them', async () => {
    const { answer } = await submitWith({ houses: 1 }, []);

    await expect(answer).rejects.toThrow(/declares no output keys yet.*PUT \/targets\/\{id\}/);
  });
});

describe('the output keys of a jurisdiction', () => {
  it('are those of the allocation’s own jurisdiction’s plan, never another’s of the same year', async () => {
    const store = new InMemoryLedgerStore();
    const asked: unknown[] = [];
    const perJurisdiction: OutputCatalogue = {
      declaredOutputKeys: async (fiscalYear, jurisdiction) => {
        asked.push([fiscalYear, jurisdiction]);
        return jurisdiction === 'da-nang' ? ['nhaO'] : ['houses'];
      },
    };
    const daNang = await givenAllocation(
      store,
      { fiscalYear: 2026, commune: 'Avương' },
      { ...planner, jurisdiction: 'da-nang' },
    );
    const deps = { store, policies: approvalPolicies, ...testEnv, catalogue: perJurisdiction };
    const daNangFinance = { ...finance, jurisdiction: 'da-nang' };

    await expect(
      submitRequest(deps, daNangFinance, newRequest(daNang.id, 1_000_000, { houses: 1 }), 'k1'),
    ).rejects.toMatchObject({ details: { key: 'houses', allowed: ['nhaO'] } });
    const accepted = await submitRequest(
      deps,
      daNangFinance,
      newRequest(daNang.id, 1_000_000, { nhaO: 1 }),
      'k2',
    );

    expect(accepted.result.outputs).toEqual({ nhaO: 1 });
    expect(asked).toEqual([
      [2026, 'da-nang'],
      [2026, 'da-nang'],
    ]);
  });
});

describe('the plan’s output keys', () => {
  it.each(['constructor', 'toString', 'valueOf'])(
    'never take the name of a built-in property (%s)',
    (key) => {
      const result = IndicatorBody.safeParse({
        name: { vi: 'Nhà', en: 'Houses' },
        unit: { vi: 'căn', en: 'houses' },
        target: { min: 1 },
        source: 'outputs',
        outputKeys: ['houses', key],
      });

      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['outputKeys', 1]);
    },
  );

  it('are summed from own counts only, never from Object’s prototype', () => {
    const figures = yearFigures([
      { capitalType: 'investment', assignedVnd: 0, disbursedVnd: 0, outputs: { constructor: 2, houses: 1 } },
      { capitalType: 'investment', assignedVnd: 0, disbursedVnd: 0, outputs: { constructor: 3 } },
    ]);

    expect(figures.outputs).toEqual({ constructor: 5, houses: 1 });
  });
});
