import { benchAuditQuery } from './audit-query.js';
import { benchPartnerKey } from './partner-key.js';

/**
 * `npm run bench`: measurements that would be flaky as timed tests. Each bench prints one JSON
 * object; counts come from wrapping the ports, times from the wall clock of this machine.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const benches: Record<string, () => Promise<unknown>> = {
  'partner-key': benchPartnerKey,
  'audit-query': benchAuditQuery,
};

const only = process.argv[2];
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  const result = await run();
  console.log(JSON.stringify({ bench: name, ...(result as object) }, null, 2));
}
