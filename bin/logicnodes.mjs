#!/usr/bin/env node
// The `logicnodes` command. The CLI is TypeScript shared with the handlers, run through tsx.
import { register } from 'tsx/esm/api';

// Node 20 is fine for the local tools; the SDK's notice about Node 22 is for Lambda.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../local/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
