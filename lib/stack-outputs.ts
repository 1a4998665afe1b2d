/** Output names of the stack, read by the CLI to find a deployed stack's resources. */
export const STACK_OUTPUTS = {
  apiUrl: 'ApiUrl',
  tableName: 'TableName',
  sessionSecretArn: 'SessionSigningSecretArn',
  auditTableName: 'AuditTableName',
} as const;
