import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PARTNER_TIERS } from '../lambdas/config/partner-tiers.js';
import { EMBED_AUTH_LIMIT_PER_MINUTE } from '../lambdas/config/session-policy.js';
import { findRoute, ROUTES } from '../lambdas/routes.js';
import { AuditLogStore } from './constructs/audit-log-store.js';
import { EmbedAuthFirewall } from './constructs/embed-auth-firewall.js';
import { FailedAuthAlarm } from './constructs/failed-auth-alarm.js';
import { PartnerUsagePlans } from './constructs/partner-usage-plans.js';
import { PlatformApi } from './constructs/platform-api.js';
import { PlatformData } from './constructs/platform-data.js';
import { SecretsKey } from './constructs/secrets-key.js';
import { SessionSigningSecret } from './constructs/session-signing-secret.js';
import { acknowledgeReviewedFindings } from './nag-acknowledgements.js';
import { STACK_OUTPUTS, usagePlanOutput } from './stack-outputs.js';

/**
 * The whole platform in one stack: the data, the platform's own secrets, the API built from the
 * route table, and the outputs operators and the CLI read.
 */
export interface LogicNodesStackProps extends StackProps {
  /** See PlatformApiProps.manageAccountLogging. @default true */
  readonly manageAccountLogging?: boolean;
}

export class LogicNodesStack extends Stack {
  readonly data: PlatformData;
  readonly api: PlatformApi;

  constructor(scope: Construct, id: string, props: LogicNodesStackProps = {}) {
    super(scope, id, props);

    this.data = new PlatformData(this, 'Data');
    const sessionSecret = new SessionSigningSecret(this, 'SessionSigning');
    const audit = new AuditLogStore(this, 'Audit');
    const secretsKey = new SecretsKey(this, 'Secrets');

    this.api = new PlatformApi(this, 'Api', {
      routes: ROUTES,
      manageAccountLogging: props.manageAccountLogging,
      grants: {
        'table:read': (fn) => this.data.grantRead(fn),
        'table:write': (fn) => this.data.grantWrite(fn),
        'table:delete': (fn) => this.data.grantDelete(fn),
        'session-key:read': (fn) => sessionSecret.grantRead(fn),
        'audit:write': (fn) => audit.grantAppend(fn),
        'audit:read': (fn) => audit.grantRead(fn),
        'audit:signing-key:read': (fn) => audit.grantSigningKeyRead(fn),
        'secrets:encrypt': (fn) => secretsKey.grantEncrypt(fn),
      },
    });

    new EmbedAuthFirewall(this, 'Firewall', {
      stage: this.api.api.deploymentStage,
      path: findRoute('embed-auth').path,
      limit: EMBED_AUTH_LIMIT_PER_MINUTE,
    });
    const usagePlans = new PartnerUsagePlans(this, 'UsagePlans', {
      api: this.api.api,
      tiers: PARTNER_TIERS,
    });

    const authenticators = [...this.api.functions.values(), this.api.partnerAuthorizerFunction];
    new FailedAuthAlarm(this, 'FailedAuthAlarm', {
      logGroups: authenticators.flatMap((fn) => (fn ? [fn.logGroup] : [])),
      email: this.node.tryGetContext('alarmEmail') as string | undefined,
    });

    new CfnOutput(this, STACK_OUTPUTS.apiUrl, { value: this.api.api.url });
    new CfnOutput(this, STACK_OUTPUTS.tableName, { value: this.data.table.tableName });
    new CfnOutput(this, STACK_OUTPUTS.auditTableName, { value: audit.table.tableName });
    new CfnOutput(this, STACK_OUTPUTS.auditSigningKeyArn, { value: audit.signingKey.keyArn });
    new CfnOutput(this, STACK_OUTPUTS.sessionSecretArn, {
      value: sessionSecret.secret.secretArn,
    });
    for (const [tier, plan] of usagePlans.plans) {
      new CfnOutput(this, usagePlanOutput(tier), { value: plan.usagePlanId });
    }

    acknowledgeReviewedFindings(this);
  }
}
