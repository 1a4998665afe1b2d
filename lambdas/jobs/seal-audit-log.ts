import { sealActivePartners } from '../core/audit-seal.js';
import { logger } from '../http/logger.js';
import { getRuntime } from '../runtime/runtime.js';

/** What the schedule may pass: nothing (seal yesterday) or a day to seal. */
interface SealEvent {
  readonly date?: string;
}

/**
 * The daily seal, run by its own EventBridge schedule shortly after midnight UTC: for every
 * partner that recorded events on the previous UTC day, a signed digest chained to the day
 * before. Running it twice is harmless; a day already sealed is left as it is.
 */
export async function handler(event: SealEvent = {}): Promise<{ date: string; sealed: number }> {
  const runtime = await getRuntime();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(event.date ?? '') ? event.date : undefined;

  const { date: sealedDate, outcomes } = await sealActivePartners(runtime, date);

  const sealed = Object.values(outcomes).filter((outcome) => outcome.status === 'sealed').length;
  const skipped = Object.keys(outcomes).length - sealed;
  logger.info('audit day sealed', { date: sealedDate, sealed, skipped });
  return { date: sealedDate, sealed };
}
