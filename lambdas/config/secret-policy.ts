/**
 * Limits on organization secrets. The handlers, the documentation and the tests read them from
 * here, so a limit is stated once.
 */
export const SECRET_POLICY = {
  /**
   * Secret names: an upper-case letter, then upper-case letters, digits and underscores, at most
   * 128 characters in all, the way environment variables are usually named.
   */
  keyPattern: /^[A-Z][A-Z0-9_]{0,127}$/,
  /** The largest value, counted in UTF-8 bytes. */
  maxValueBytes: 4096,
  /** The longest description, in characters. */
  maxDescriptionChars: 500,
  /** What a caller is told to wait when the encryption service cannot answer. */
  retryAfterSeconds: 2,
} as const;

/** Who may change a secret: the partner only, or the organization's admins too. */
export const MANAGED_BY = ['partner', 'user'] as const;
export type ManagedBy = (typeof MANAGED_BY)[number];
