import type { Server } from 'node:http';
import { installRuntime } from '../lambdas/runtime/runtime.js';
import type { RateLimits } from '../lambdas/config/rate-limits.js';
import type { Clock } from '../lambdas/core/ports.js';
import { createLocalRuntime } from './local-runtime.js';
import { createLocalServer } from './server.js';
import { openLocalStore, type LocalStore } from './store.js';

export interface TwinOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly host?: string;
  readonly clock?: Clock;
  /** The limits the handlers enforce. @default the spec's, or LOGICNODES_AUTH_RATE_LIMIT */
  readonly rateLimits?: RateLimits;
}

export interface RunningTwin {
  readonly url: string;
  readonly store: LocalStore;
  stop(): Promise<void>;
}

/** Starts the whole API on one machine: the store, the runtime, and the HTTP front. */
export async function startTwin(options: TwinOptions): Promise<RunningTwin> {
  const store = await openLocalStore(options.dataDir);
  installRuntime(
    createLocalRuntime(options.dataDir, store.endpoint, options.clock, options.rateLimits),
  );

  const server = createLocalServer(options.clock);
  const host = options.host ?? '127.0.0.1';
  try {
    await listen(server, options.port, host);
  } catch (error) {
    await store.close();
    throw error;
  }
  const { port } = server.address() as { port: number };

  return {
    url: `http://${host}:${port}`,
    store,
    stop: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await store.close();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
