/**
 * The one shape of every tRPC `*.list` answer. A list bounded by its nature (organizations,
 * members, keys…) is a single page: its `nextCursor` is null.
 */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

export async function onePage<T>(items: Promise<T[]>): Promise<ListPage<T>> {
  return { items: await items, nextCursor: null };
}
