import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `npm run bench`: runs every `bench/*.bench.ts` in turn; each prints its own results. */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dir = fileURLToPath(new URL('.', import.meta.url));

for (const file of readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort()) {
  console.log(`\n# ${file}`);
  const bench = (await import(pathToFileURL(`${dir}${file}`).href)) as {
    run?: () => Promise<void>;
  };
  await bench.run?.();
}
