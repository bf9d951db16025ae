/** Pieces every route definition repeats: JSON responses and JSON request bodies. */
export const json = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const body = <T>(schema: T, required: boolean) => ({
  required,
  content: { "application/json": { schema } },
});
