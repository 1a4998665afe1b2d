import { localDataDir } from '../local/data-dir.js';
import { startTwin } from '../local/twin.js';

/** `npm start`: the whole API on this machine, on the embedded store under `.local/`. */

// Node 20 is fine for the local twin; the SDK's notice about Node 22 concerns Lambda.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = Number(process.env.PORT ?? 3000);
const dataDir = localDataDir();

try {
  const twin = await startTwin({ dataDir, port });
  console.log(`LogicNodes API listening on ${twin.url} (data in ${dataDir})`);

  const shutdown = async () => {
    await twin.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${port} is in use; set PORT to another port`
      : (error as Error).message;
  console.error(`Cannot start the local twin: ${reason}`);
  process.exit(1);
}
