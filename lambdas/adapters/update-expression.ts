import type { UpdateOptions } from '../core/ports.js';

interface UpdateExpression {
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** Turns the port's update options into DynamoDB expressions with placeholder names. */
export function buildUpdate(options: UpdateOptions): UpdateExpression {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let counter = 0;

  const name = (attribute: string): string => {
    const placeholder = `#a${counter++}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const value = (v: unknown): string => {
    const placeholder = `:v${counter++}`;
    values[placeholder] = v;
    return placeholder;
  };

  const sets = definedEntries(options.set).map(([k, v]) => `${name(k)} = ${value(v)}`);
  const missing = definedEntries(options.setIfMissing).map(([k, v]) => {
    const n = name(k);
    return `${n} = if_not_exists(${n}, ${value(v)})`;
  });
  const removes = (options.remove ?? []).map(name);
  const adds = definedEntries(options.add).map(([k, v]) => `${name(k)} ${value(v)}`);

  const clauses: string[] = [];
  if (sets.length + missing.length > 0) clauses.push(`SET ${[...sets, ...missing].join(', ')}`);
  if (removes.length > 0) clauses.push(`REMOVE ${removes.join(', ')}`);
  if (adds.length > 0) clauses.push(`ADD ${adds.join(', ')}`);

  const conditions = Object.entries(options.expect ?? {}).map(([k, v]) =>
    v === undefined ? `attribute_not_exists(${name(k)})` : `${name(k)} = ${value(v)}`,
  );
  if (options.onlyIfExists) conditions.push(`attribute_exists(${name('pk')})`);

  return {
    UpdateExpression: clauses.length > 0 ? clauses.join(' ') : undefined,
    ConditionExpression: conditions.length > 0 ? conditions.join(' AND ') : undefined,
    ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
    ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
  };
}

function definedEntries(record: Record<string, unknown> | undefined): [string, unknown][] {
  return Object.entries(record ?? {}).filter(([, v]) => v !== undefined);
}
