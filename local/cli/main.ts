import { AppError } from '../../lambdas/core/errors.js';
import { UsageError } from './args.js';
import { auditSeal, auditSealUsage, auditVerify, auditVerifyUsage } from './audit.js';
import { partnerCreate, partnerCreateUsage } from './partner-create.js';
import { partnerSetTier, partnerSetTierUsage } from './partner-set-tier.js';
import { tokenSign, tokenSignUsage } from './token-sign.js';

type Command = (args: string[]) => Promise<unknown>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  'partner create': { run: partnerCreate, usage: partnerCreateUsage },
  'partner set-tier': { run: partnerSetTier, usage: partnerSetTierUsage },
  'token sign': { run: tokenSign, usage: tokenSignUsage },
  'audit verify': { run: auditVerify, usage: auditVerifyUsage },
  'audit seal': { run: auditSeal, usage: auditSealUsage },
};

const USAGE = [
  'Usage: logicnodes <command>',
  ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
];

/** Runs one CLI command; prints its result on stdout, or a one-line error on stderr. */
export async function main(argv: string[]): Promise<number> {
  const name = argv.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  const wantsHelp = argv.some((arg) => arg === '--help' || arg === '-h') || argv[0] === 'help';
  if (wantsHelp) {
    console.log(command ? `Usage: logicnodes ${command.usage}` : USAGE.join('\n'));
    return 0;
  }
  if (!command) {
    console.error(USAGE.join('\n'));
    return 2;
  }

  try {
    const result = await command.run(argv.slice(2));
    console.log(typeof result === 'string' ? result : JSON.stringify(result, null, 2));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\nUsage: logicnodes ${command.usage}`);
      return 2;
    }
    if (error instanceof AppError) {
      console.error(JSON.stringify({ error: { code: error.code, message: error.message } }));
      return 1;
    }
    console.error(`logicnodes: ${(error as Error).message}`);
    return 1;
  }
}
