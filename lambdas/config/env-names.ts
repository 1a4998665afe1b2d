/**
 * Names of the environment variables that pass deployment facts to the handlers.
 * The stack writes them and the handlers read them, so both sides import these constants.
 */
export const ENV = {
  tableName: 'LOGICNODES_TABLE_NAME',
  sessionSecretArn: 'LOGICNODES_SESSION_SECRET_ARN',
  auditTableName: 'LOGICNODES_AUDIT_TABLE_NAME',
  auditSigningKeyArn: 'LOGICNODES_AUDIT_SIGNING_KEY_ARN',
  secretsKeyArn: 'LOGICNODES_SECRETS_KEY_ARN',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;
