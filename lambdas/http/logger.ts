import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger. Handlers add business keys (route, partner, organization,
 * outcome) to each line explicitly; nothing logs a token, key, secret, hash, email or body.
 */
export const logger = new Logger({ serviceName: 'logicnodes' });
