import type {
  Item,
  ItemKey,
  Page,
  PutOptions,
  QueryOptions,
  Table,
  UpdateOptions,
} from '../../lambdas/core/ports.js';

/** Wraps a Table and counts the calls made through it, by operation. */
export class CountingTable implements Table {
  readonly calls = { get: 0, put: 0, update: 0, delete: 0, query: 0, deleteMany: 0 };

  constructor(private readonly inner: Table) {}

  get total(): number {
    return Object.values(this.calls).reduce((sum, n) => sum + n, 0);
  }

  reset(): void {
    for (const name of Object.keys(this.calls) as (keyof typeof this.calls)[]) this.calls[name] = 0;
  }

  get(key: ItemKey): Promise<Item | undefined> {
    this.calls.get += 1;
    return this.inner.get(key);
  }

  put(item: Item, options?: PutOptions): Promise<void> {
    this.calls.put += 1;
    return this.inner.put(item, options);
  }

  update(key: ItemKey, options: UpdateOptions): Promise<Item> {
    this.calls.update += 1;
    return this.inner.update(key, options);
  }

  delete(key: ItemKey, options?: Pick<UpdateOptions, 'expect'>): Promise<void> {
    this.calls.delete += 1;
    return this.inner.delete(key, options);
  }

  query(options: QueryOptions): Promise<Page<Item>> {
    this.calls.query += 1;
    return this.inner.query(options);
  }

  deleteMany(keys: readonly ItemKey[]): Promise<void> {
    this.calls.deleteMany += 1;
    return this.inner.deleteMany(keys);
  }
}
