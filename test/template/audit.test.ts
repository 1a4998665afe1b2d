import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/routes.js';
import { synthesizePlatform } from '../support/synth.js';
import { platformTemplate, synthResult, asList } from '../support/template.js';

const template = platformTemplate();
const resources = template.toJSON().Resources as Record<string, any>;
const idOf = (type: string, prefix: string) =>
  Object.keys(resources).find((id) => resources[id].Type === type && id.startsWith(prefix))!;

const auditTableId = idOf('AWS::DynamoDB::GlobalTable', 'AuditTable');
const auditTable = resources[auditTableId];

/** Every IAM statement naming the audit table or one of its indexes, with its policy's id. */
const auditStatements = Object.entries(resources)
  .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
  .flatMap(([id, policy]) =>
    (policy.Properties.PolicyDocument.Statement as any[]).map((statement) => ({ id, statement })),
  )
  .filter(({ statement }) => JSON.stringify(statement.Resource).includes(auditTableId));

describe('the audit table', () => {
  it('is a table of its own, keyed by partner and time, with one index per filter', () => {
    expect(auditTable.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const indexes = auditTable.Properties.GlobalSecondaryIndexes.map((i: any) => i.IndexName);
    expect(indexes.sort()).toEqual(['by-org', 'by-org-type', 'by-type']);
  });

  it('expires records by TTL, encrypts with its own rotating key and keeps 35 days of PITR', () => {
    const replica = auditTable.Properties.Replicas[0];
    const keyId = replica.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];

    expect(auditTable.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'ttl',
      Enabled: true,
    });
    expect(keyId).toMatch(/^AuditTableKey/);
    expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
    expect(replica.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
      RecoveryPeriodInDays: 35,
    });
    expect(replica.DeletionProtectionEnabled).toBe(true);
    expect(auditTable.DeletionPolicy).toBe('Retain');
  });

  it('denies every principal the update and delete actions in its own resource policy', () => {
    const policy = auditTable.Properties.Replicas[0].ResourcePolicy.PolicyDocument;

    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: expect.arrayContaining([
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ]),
      }),
    );
  });
});

describe('grants on the audit table', () => {
  it('allow writers PutItem alone and the reader Query alone: no update, delete or batch', () => {
    const actions = auditStatements.flatMap(({ statement }) => asList(statement.Action));

    expect(auditStatements.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(['dynamodb:PutItem', 'dynamodb:Query']));
  });

  it('limit every put to the partitions of its writer and never return an old item', () => {
    const puts = auditStatements.filter(({ statement }) =>
      asList(statement.Action).includes('dynamodb:PutItem'),
    );

    for (const { statement } of puts) {
      expect(asList(statement.Action)).toEqual(['dynamodb:PutItem']);
      expect(statement.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys']).toBeDefined();
      expect(statement.Condition.StringEqualsIfExists).toEqual({ 'dynamodb:ReturnValues': 'NONE' });
    }
  });

  it('let every route that records events, and the key authorizer, add records', () => {
    const recordWriters = auditStatements.filter(({ statement }) =>
      JSON.stringify(statement.Condition ?? {}).includes('PARTNER#*'),
    );
    const routesWithEvents = ROUTES.filter((route) => route.audit && 'event' in route.audit);

    expect(recordWriters).toHaveLength(routesWithEvents.length + 1);
  });

  it('let only the seal job write seals, and nothing else write them', () => {
    const sealWriters = auditStatements.filter(({ statement }) =>
      JSON.stringify(statement.Condition ?? {}).includes('SEAL#'),
    );

    expect(sealWriters.map(({ id }) => id)).toEqual([expect.stringMatching(/^AuditSealJob/)]);
    for (const { statement } of auditStatements) {
      const keys = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
      if (keys && !keys.includes('SEAL#*')) expect(keys).toEqual(['PARTNER#*', 'DAY#*']);
    }
  });
});

describe('the seal signing key and job', () => {
  it('is an asymmetric P-256 signing key only the seal job may sign with', () => {
    const keyId = idOf('AWS::KMS::Key', 'AuditSealSigningKey');
    const signers = Object.entries(resources).filter(
      ([, r]) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties.PolicyDocument).includes('kms:Sign'),
    );

    expect(resources[keyId].Properties).toMatchObject({
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
    });
    expect(signers.map(([id]) => id)).toEqual([expect.stringMatching(/^AuditSealJob/)]);
  });

  it('is named in the stack outputs beside the audit table, for the audit CLI', () => {
    const outputs = Object.keys(template.toJSON().Outputs);

    expect(outputs).toEqual(expect.arrayContaining(['AuditTableName', 'AuditSigningKeyArn']));
  });

  it('runs on its own daily schedule after midnight UTC', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 0 * * ? *)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditSealJob'), 'Arn'] },
        }),
      ],
    });
  });
});

describe('the failed-authentication alarm', () => {
  it('counts log lines marked auth_failed in every authenticating function', () => {
    const filters = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter');

    expect(filters.length).toBe(ROUTES.length + 1);
    for (const filter of filters) {
      expect(filter.Properties).toMatchObject({
        FilterPattern: '{ $.auth_failed IS TRUE }',
        MetricTransformations: [
          { MetricNamespace: 'LogicNodes', MetricName: 'FailedAuthentications', MetricValue: '1' },
        ],
      });
    }
  });

  it('fires at 10 or more failures within 5 minutes onto an encrypted, TLS-only topic', () => {
    const topicId = idOf('AWS::SNS::Topic', 'FailedAuthAlarmTopic');

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FailedAuthentications',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
    expect(resources[topicId].Properties.KmsMasterKeyId).toBeDefined();
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      }),
    });
    expect(synthResult().nagError).toBeUndefined();
  });

  it('mails the address given as alarmEmail context, and no one without it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logicnodes-alarm-'));
    try {
      const withEmail = synthesizePlatform(dir, {
        alarmEmail: 'security@example.test',
        'aws:cdk:bundling-stacks': [],
      });

      Template.fromJSON(withEmail.template).hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'security@example.test',
      });
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
