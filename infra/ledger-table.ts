import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { TableSpec } from '../shared/platform/topology.ts';

/**
 * The single ledger table. It holds the money trail, so it is on-demand, recoverable to the second,
 * protected against deletion and kept when its stack is deleted.
 */
export class LedgerTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, spec: TableSpec) {
    super(scope, id);
    const key = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: key(spec.partitionKey),
      sortKey: key(spec.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: spec.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
    });

    for (const index of spec.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        ...(index.projection.type === 'ALL'
          ? { projectionType: dynamodb.ProjectionType.ALL }
          : {
              projectionType: dynamodb.ProjectionType.INCLUDE,
              nonKeyAttributes: [...index.projection.attributes],
            }),
      });
    }
  }
}
