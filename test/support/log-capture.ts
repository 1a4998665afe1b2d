import { logger } from '../../lambdas/http/logger.js';

/** What the platform logger printed while a capture was on. */
export interface LogCapture {
  readonly lines: string[];
  /** Puts stdout, stderr and the log level back as they were. */
  restore(): void;
}

/**
 * Captures everything written to stdout and stderr, where the Powertools logger prints, with
 * the logger at DEBUG so that even its most talkative lines are checked.
 */
export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };

  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  logger.setLogLevel('DEBUG');

  return {
    lines,
    restore: () => {
      process.stdout.write = writes.stdout;
      process.stderr.write = writes.stderr;
      logger.setLogLevel((process.env.POWERTOOLS_LOG_LEVEL as 'ERROR' | undefined) ?? 'ERROR');
    },
  };
}
