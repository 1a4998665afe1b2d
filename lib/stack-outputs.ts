/** Output names of the stack, read by the CLI to find a deployed stack's resources. */
export const STACK_OUTPUTS = {
  apiUrl: 'ApiUrl',
  tableName: 'TableName',
  sessionSecretArn: 'SessionSigningSecretArn',
  auditTableName: 'AuditTableName',
  auditSigningKeyArn: 'AuditSigningKeyArn',
} as const;

/** The output holding a partner tier's usage plan id, e.g. `UsagePlanIdStandard`. */
export function usagePlanOutput(tier: string): string {
  return `UsagePlanId${tier.charAt(0).toUpperCase()}${tier.slice(1)}`;
}
