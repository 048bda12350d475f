import { describe, expect, it } from 'vitest';
import { QueryFilter } from '../../shared/platform/aws/dynamo-items.ts';

describe('a query filter', () => {
  it('adds no filter and no names when it has no clause, only the key values', () => {
    expect(new QueryFilter({ ':pk': 'PARTITION' }).expression()).toEqual({
      ExpressionAttributeValues: { ':pk': 'PARTITION' },
    });
  });

  it('joins its clauses with AND, naming every part of a dotted path', () => {
    const filter = new QueryFilter({ ':pk': 'PARTITION' })
      .where('status', '=', 'open')
      .where('scope.commune', '=', 'A Xan')
      .where('postedAt', '>=', '2024-01-01', ':from');
    expect(filter.expression()).toEqual({
      FilterExpression: '#status = :status AND #scope.#commune = :scope_commune AND #postedAt >= :from',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#scope': 'scope',
        '#commune': 'commune',
        '#postedAt': 'postedAt',
      },
      ExpressionAttributeValues: {
        ':pk': 'PARTITION',
        ':status': 'open',
        ':scope_commune': 'A Xan',
        ':from': '2024-01-01',
      },
    });
  });

  it('keeps the key values it was given apart from the caller’s object', () => {
    const keys = { ':pk': 'PARTITION' };
    new QueryFilter(keys).where('commune', '=', 'Dang');
    expect(keys).toEqual({ ':pk': 'PARTITION' });
  });
});
