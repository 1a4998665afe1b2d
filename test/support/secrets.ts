import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { LambdaHandler } from '../../lambdas/http/define-handler.js';
import type { SecretCipher, SecretContext } from '../../lambdas/core/secret-cipher.js';
import { proxyEvent, type InvokeOptions } from './invoke.js';

/** The caller identity API Gateway puts on a partner route once the authorizer allowed it. */
export interface PartnerCaller {
  readonly partnerId: string;
  readonly keyPrefix?: string;
}

/** The proxy event of a partner route, with the authorizer context API Gateway would add. */
export function partnerEvent(
  method: string,
  path: string,
  caller: PartnerCaller,
  options: InvokeOptions = {},
): APIGatewayProxyEvent {
  const event = proxyEvent(method, path, options);
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      authorizer: {
        partner_id: caller.partnerId,
        key_prefix: caller.keyPrefix ?? `pk_${caller.partnerId}_abcdef`,
      },
    },
  };
}

/**
 * Keeps every response a suite receives, so the suite can prove at its end that no stored
 * value came back in any of them, whatever the route, status or header.
 */
export class ResponseLog {
  private readonly texts: string[] = [];

  /** The handler, recording what it answers. */
  wrap(handler: LambdaHandler): LambdaHandler {
    return async (event) => this.record(await handler(event));
  }

  record<T extends APIGatewayProxyResult>(result: T): T {
    this.texts.push(JSON.stringify(result.headers ?? {}), result.body ?? '');
    return result;
  }

  /** Records a response received over HTTP. */
  recordText(headers: Headers, body: string): void {
    this.texts.push(JSON.stringify(Object.fromEntries(headers.entries())), body);
  }

  get count(): number {
    return this.texts.length / 2;
  }

  /** The values among `values` that appear in some recorded response. */
  leaked(values: Iterable<string>): string[] {
    return [...values].filter((value) => this.texts.some((text) => text.includes(value)));
  }
}

/** A cipher that counts its calls, to prove that limits are checked before any encryption. */
export class CountingCipher implements SecretCipher {
  encryptCalls = 0;
  decryptCalls = 0;

  constructor(private readonly inner: SecretCipher) {}

  encrypt(plaintext: string, context: SecretContext): Promise<Uint8Array> {
    this.encryptCalls += 1;
    return this.inner.encrypt(plaintext, context);
  }

  decrypt(ciphertext: Uint8Array, context: SecretContext): Promise<string> {
    this.decryptCalls += 1;
    return this.inner.decrypt(ciphertext, context);
  }
}

/** A value no test could produce by accident, so finding it anywhere is a leak. */
export function secretValue(label: string): string {
  return `sk_live_${label}_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}
