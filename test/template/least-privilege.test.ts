import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/routes.js';
import { asList, platformTemplate } from '../support/template.js';

const template = platformTemplate();

describe('the firewall', () => {
  it('limits every client IP on every path, not only on embed authentication', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'AnyPathPerIp',
          Statement: {
            RateBasedStatement: { Limit: 3000, EvaluationWindowSec: 300, AggregateKeyType: 'IP' },
          },
        }),
      ]),
    });
  });
});

describe('least privilege per route', () => {
  const resources = template.toJSON().Resources as Record<string, any>;

  /** Every action the role of a route's function is allowed, across its policies. */
  function actionsOfRoute(route: (typeof ROUTES)[number]): string[] {
    const fn = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        r.Properties.Description === `${route.method} ${route.path}`,
    );
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    return Object.values(resources)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::Policy' &&
          r.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId),
      )
      .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => asList(s.Action)));
  }

  it.each(ROUTES.map((route) => [route.name, route] as const))(
    '%s may delete table items only if its route declares table:delete',
    (_, route) => {
      const canDelete = actionsOfRoute(route).includes('dynamodb:DeleteItem');

      expect(canDelete).toBe((route.grants as readonly string[]).includes('table:delete'));
    },
  );
});
