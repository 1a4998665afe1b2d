import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Thrown for a command line a user got wrong; the CLI prints its message and usage. */
export class UsageError extends Error {}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; required?: boolean }>;

/** Parses `--name value` options, insisting on the required ones. */
export function readOptions(args: string[], spec: OptionSpec): Record<string, string | undefined> {
  const options = Object.fromEntries(
    Object.entries(spec).map(([name, o]) => [name, { type: o.type }]),
  );
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  for (const [name, option] of Object.entries(spec)) {
    if (option.required && values[name] === undefined)
      throw new UsageError(`--${name} is required`);
  }
  return values as Record<string, string | undefined>;
}

export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`Cannot read ${what} from ${path}`);
  }
}
