import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/routes.js';
import { synthesizePlatform } from '../support/synth.js';
import { platformTemplate, synthResult, asList } from '../support/template.js';

const template = platformTemplate();

function resourcesOf(type: string): [string, any][] {
  return Object.entries(template.findResources(type));
}

/** Every IAM statement of every policy in the stack. */
function allStatements(): any[] {
  return resourcesOf('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

describe('the synthesized stack', () => {
  it('passes the cdk-nag AWS Solutions checks with no unacknowledged finding', () => {
    expect(synthResult().nagError).toBeUndefined();
  });

  it('places the table in eu-north-1 by default', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ Region: 'eu-north-1' })],
    });
  });

  it('writes the reason for every acknowledged finding into the template', () => {
    const annotated = Object.values(template.toJSON().Resources as Record<string, any>).filter(
      (resource) => resource.Metadata?.cdk_nag,
    );

    expect(annotated.length).toBeGreaterThan(0);
    for (const resource of annotated) {
      for (const suppression of resource.Metadata.cdk_nag.rules_to_suppress) {
        expect(suppression.reason.length).toBeGreaterThan(40);
      }
    }
  });

  it('leaves the account API Gateway logging role to another stack when told to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logicnodes-account-'));
    try {
      const second = synthesizePlatform(dir, {
        apiGatewayAccountLogging: 'false',
        'aws:cdk:bundling-stacks': [],
      });

      Template.fromJSON(second.template).resourceCountIs('AWS::ApiGateway::Account', 0);
      template.resourceCountIs('AWS::ApiGateway::Account', 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('moves to another region when the region context says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logicnodes-region-'));
    try {
      const elsewhere = synthesizePlatform(dir, {
        region: 'eu-west-1',
        'aws:cdk:bundling-stacks': [],
      });

      Template.fromJSON(elsewhere.template).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        Replicas: [Match.objectLike({ Region: 'eu-west-1' })],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the platform table', () => {
  it('is on-demand, keyed pk/sk, with the TTL attribute in epoch seconds', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  it('is encrypted with a customer-managed KMS key that rotates', () => {
    const [[, table]] = resourcesOf('AWS::DynamoDB::GlobalTable').filter(([id]) =>
      id.startsWith('DataTable'),
    ) as [[string, any]];
    const keyRef = table.Properties.Replicas[0].SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];

    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(template.toJSON().Resources[keyRef].Type).toBe('AWS::KMS::Key');
    expect(template.toJSON().Resources[keyRef].Properties.EnableKeyRotation).toBe(true);
  });

  it('keeps 30 days of point-in-time recovery, resists deletion and is retained', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: {
              PointInTimeRecoveryEnabled: true,
              RecoveryPeriodInDays: 30,
            },
          }),
        ],
      }),
    });
  });

  it('is granted with named actions only, never a wildcard action', () => {
    const tableStatements = allStatements().filter((s) =>
      asList(s.Action).some((a: string) => a.startsWith('dynamodb:')),
    );

    expect(tableStatements.length).toBeGreaterThan(0);
    for (const statement of tableStatements) {
      for (const action of asList(statement.Action) as string[]) {
        expect(action).not.toContain('*');
      }
      for (const resource of asList(statement.Resource)) {
        expect(JSON.stringify(resource)).not.toContain('*');
      }
    }
  });
});

describe('the functions', () => {
  const functions = resourcesOf('AWS::Lambda::Function');

  it('run on Node.js 22 on arm64', () => {
    expect(functions.length).toBeGreaterThan(0);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('include one function per route of the route table', () => {
    const descriptions = functions.map(([, fn]) => fn.Properties.Description);

    for (const route of ROUTES) {
      expect(descriptions.filter((d) => d === `${route.method} ${route.path}`)).toHaveLength(1);
    }
  });

  it('each write to a log group of their own with a retention', () => {
    const logGroups = resourcesOf('AWS::Logs::LogGroup');
    const referenced = functions.map(([, fn]) => fn.Properties.LoggingConfig?.LogGroup?.Ref);

    expect(new Set(referenced).size).toBe(functions.length);
    for (const ref of referenced) {
      const group = logGroups.find(([id]) => id === ref);
      expect(group?.[1].Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('each have a role of their own', () => {
    const roles = functions.map(([, fn]) => JSON.stringify(fn.Properties.Role));

    expect(new Set(roles).size).toBe(functions.length);
  });
});

describe('the session signing secret', () => {
  it('is generated at deploy time and rotated on a schedule', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });

  it('is readable only by the functions of routes that declare the session key grant', () => {
    const [[secretId]] = resourcesOf('AWS::SecretsManager::Secret') as [[string, any]];
    const readers = resourcesOf('AWS::IAM::Policy').filter(([, policy]) =>
      policy.Properties.PolicyDocument.Statement.some(
        (s: any) =>
          asList(s.Action).includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(s.Resource).includes(secretId),
      ),
    );
    const routesWithGrant = ROUTES.filter((r) =>
      (r.grants as readonly string[]).includes('session-key:read'),
    );

    // The rotation function reads it too, to stage the next version.
    expect(readers).toHaveLength(routesWithGrant.length + 1);
  });
});

describe('the API', () => {
  it('is a regional REST API with the stack outputs operators need', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    const outputs = template.toJSON().Outputs as Record<string, unknown>;

    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'TableName', 'SessionSigningSecretArn']),
    );
  });

  it('never logs request or response bodies at the stage', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ DataTraceEnabled: false })],
    });
  });

  it('answers unknown routes in the JSON error shape', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseTemplates: {
        'application/json': JSON.stringify({
          error: { code: 'not_found', message: 'No such route' },
        }),
      },
    });
  });
});
