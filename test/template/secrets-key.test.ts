import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/config/env-names.js';
import { findRoute, ROUTES } from '../../lambdas/routes.js';
import { synthResult, asList } from '../support/template.js';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; [k: string]: any };

const resources = () => synthResult().template.Resources as Record<string, Resource>;

function secretsKeyId(): string {
  const [id] = Object.entries(resources()).find(
    ([, r]) =>
      r.Type === 'AWS::KMS::Key' &&
      r.Properties.Description === 'Encrypts LogicNodes organization secrets',
  )!;
  return id;
}

/** The logical id of the role of the function that serves `routeName`. */
function roleOf(routeName: Parameters<typeof findRoute>[0]): string {
  const route = findRoute(routeName);
  const fn = Object.values(resources()).find(
    (r) =>
      r.Type === 'AWS::Lambda::Function' &&
      r.Properties.Description === `${route.method} ${route.path}`,
  )!;
  return fn.Properties.Role['Fn::GetAtt'][0];
}

/** Every identity-policy statement of every role that names the secrets key. */
function roleStatementsOnSecretsKey(): { roles: string[]; statement: Statement }[] {
  const keyId = secretsKeyId();
  return Object.values(resources())
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => JSON.stringify(s.Resource).includes(keyId) || s.Resource === '*')
        .map((statement) => ({
          roles: policy.Properties.Roles.map((role: { Ref: string }) => role.Ref),
          statement,
        })),
    );
}

function keyPolicyStatements(): Statement[] {
  return resources()[secretsKeyId()]!.Properties.KeyPolicy.Statement;
}

const decryptCapable = (actions: string[]) =>
  actions.some((a) => /^kms:(\*|Decrypt|ReEncrypt.*|CreateGrant|Create\*)$/.test(a));

describe('the secrets key', () => {
  it('is a customer-managed key of its own, rotating yearly and retained on stack deletion', () => {
    const key = resources()[secretsKeyId()]!;
    const keys = Object.values(resources()).filter((r) => r.Type === 'AWS::KMS::Key');

    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.Properties.PendingWindowInDays).toBe(30);
  });

  it('gives the account administration of the key but no cryptographic use and no grants', () => {
    const rootStatements = keyPolicyStatements().filter((s) =>
      JSON.stringify(s.Principal).includes(':root'),
    );

    expect(rootStatements).toHaveLength(1);
    const actions = asList(rootStatements[0]!.Action);
    expect(actions).toContain('kms:Put*');
    expect(actions.some((a) => /^kms:(\*|Encrypt|Decrypt|ReEncrypt|GenerateDataKey)/.test(a))).toBe(
      false,
    );
    expect(decryptCapable(actions)).toBe(false);
  });

  it('allows no principal to decrypt in its key policy', () => {
    const allowing = keyPolicyStatements().filter(
      (s) => s.Effect === 'Allow' && decryptCapable(asList(s.Action)),
    );

    expect(allowing).toEqual([]);
  });

  it('lets only the secret-writing routes encrypt in its key policy, with the context', () => {
    const writers = ROUTES.filter((r) =>
      (r.grants as readonly string[]).includes('secrets:encrypt'),
    );
    const encrypting = keyPolicyStatements().filter((s) =>
      asList(s.Action).includes('kms:Encrypt'),
    );

    expect(writers.map((r) => r.name).sort()).toEqual(['org-secret-put', 'partner-secret-put']);
    expect(encrypting.map((s) => s.Principal.AWS['Fn::GetAtt'][0]).sort()).toEqual(
      writers.map((r) => roleOf(r.name)).sort(),
    );
    for (const statement of encrypting) {
      expect(statement.Condition['ForAllValues:StringEquals']['kms:EncryptionContextKeys']).toEqual(
        ['partner_id', 'organization_id', 'secret_key'],
      );
      expect(statement.Condition.Null['kms:EncryptionContext:organization_id']).toBe('false');
    }
  });

  it('gives the writing routes Encrypt alone in their role policies, and the key ARN', () => {
    const onKey = roleStatementsOnSecretsKey().filter(({ statement }) =>
      JSON.stringify(statement.Resource).includes(secretsKeyId()),
    );

    expect(onKey.flatMap(({ roles }) => roles).sort()).toEqual(
      [roleOf('partner-secret-put'), roleOf('org-secret-put')].sort(),
    );
    for (const { statement } of onKey) {
      expect(asList(statement.Action)).toEqual(['kms:Encrypt']);
      expect(statement.Condition.Null['kms:EncryptionContext:partner_id']).toBe('false');
    }
    const writer = Object.values(resources()).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        r.Properties.Description === 'POST /api/v1/partner/secrets',
    )!;
    expect(writer.Properties.Environment.Variables[ENV.secretsKeyArn]).toEqual({
      'Fn::GetAtt': [secretsKeyId(), 'Arn'],
    });
  });

  it('lets no current function role decrypt with the secrets key (no agent runtime yet)', () => {
    const decrypting = roleStatementsOnSecretsKey().filter(({ statement }) =>
      decryptCapable(asList(statement.Action)),
    );

    expect(decrypting).toEqual([]);
  });

  it('keeps the key ARN away from routes that do not write secrets', () => {
    const listing = Object.values(resources()).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        r.Properties.Description === 'GET /api/v1/partner/secrets/{org_id}',
    )!;

    expect(listing.Properties.Environment.Variables[ENV.secretsKeyArn]).toBeUndefined();
  });

  it('passes the cdk-nag AWS Solutions checks', () => {
    expect(synthResult().nagError).toBeUndefined();
  });
});
