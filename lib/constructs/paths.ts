import { fileURLToPath } from 'node:url';

/** The absolute path of a module under `lambdas/`, for a function's entry. */
export function lambdaEntry(relativePath: string): string {
  return fileURLToPath(new URL(`../../lambdas/${relativePath}`, import.meta.url));
}
