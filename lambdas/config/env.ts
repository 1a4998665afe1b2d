/**
 * The one place handlers read their environment. A missing variable is a deployment mistake,
 * so it fails the first request loudly instead of surfacing later as an odd error.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Environment variable ${name} is not set`);
  }
  return value;
}
