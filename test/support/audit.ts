import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { AUDIT_TABLE } from '../../lambdas/config/table-schema.js';
import type { AuditEventType } from '../../lambdas/core/audit-events.js';
import type { AuditRecord } from '../../lambdas/core/audit.js';
import { localDynamoConfig } from '../../local/store.js';
import type { TestEnvironment } from './store.js';

/** Every item in the audit table, read behind the adapter's back, as an auditor would. */
export async function scanAuditTable(env: TestEnvironment): Promise<Record<string, unknown>[]> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient(localDynamoConfig(env.store.endpoint)),
  );
  const items: Record<string, unknown>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: AUDIT_TABLE.localName, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  client.destroy();
  return items;
}

/** A partner's records of one type (or all), newest first. */
export async function auditRecordsOf(
  env: TestEnvironment,
  partnerId: string,
  eventType?: AuditEventType,
): Promise<AuditRecord[]> {
  const page = await env.runtime.auditLog.query({ partnerId, eventType, limit: 1000 });
  return page.items;
}

/** The event API Gateway sends a REQUEST authorizer. */
export function authorizerEvent(authorization?: string, sourceIp = '198.51.100.7') {
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-north-1:123456789012:api123/prod/GET/api/v1/partner/x',
    headers: authorization ? { Authorization: authorization, 'User-Agent': 'curl/8' } : {},
    requestContext: { identity: { sourceIp } },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

/** The requestContext.authorizer API Gateway hands a partner route after the authorizer. */
export const partnerContext = (partnerId: string, keyPrefix = `pk_${partnerId}_abcdef`) => ({
  partner_id: partnerId,
  key_prefix: keyPrefix,
});
