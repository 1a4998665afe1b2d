import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface FailedAuthAlarmProps {
  /** The log groups of every function that authenticates callers. */
  readonly logGroups: readonly logs.ILogGroup[];
  /** Where the alarm is mailed. @default no subscription; subscribe to the topic yourself */
  readonly email?: string;
  /** Failures within the window that raise the alarm. @default 10 */
  readonly threshold?: number;
  /** @default Duration.minutes(5) */
  readonly window?: Duration;
}

/** The metric failed authentications are counted in. */
export const FAILED_AUTH_METRIC = { namespace: 'LogicNodes', name: 'FailedAuthentications' };

/**
 * Counts failed authentications from the functions' structured logs (every line with
 * `auth_failed: true`: embed login, refresh and API key failures) and raises an alarm on an SNS
 * topic, encrypted and TLS-only, when there are 10 or more within 5 minutes.
 */
export class FailedAuthAlarm extends Construct {
  readonly topic: sns.Topic;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FailedAuthAlarmProps) {
    super(scope, id);

    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the LogicNodes security alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch publishes alarm notifications to the topic, so it must use the topic's key.
    key.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'LogicNodes security alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));

    props.logGroups.forEach((logGroup, index) => {
      new logs.MetricFilter(this, `Filter${index}`, {
        logGroup,
        filterPattern: logs.FilterPattern.booleanValue('$.auth_failed', true),
        metricNamespace: FAILED_AUTH_METRIC.namespace,
        metricName: FAILED_AUTH_METRIC.name,
        metricValue: '1',
      });
    });

    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: 'Ten or more failed authentications within five minutes',
      metric: new cloudwatch.Metric({
        namespace: FAILED_AUTH_METRIC.namespace,
        metricName: FAILED_AUTH_METRIC.name,
        statistic: 'Sum',
        period: props.window ?? Duration.minutes(5),
      }),
      threshold: props.threshold ?? 10,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(this.topic));
  }
}
