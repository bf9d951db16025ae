/** The part of a zod 4 schema's definition the walk reads. */
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  element?: Schema;
  options?: Schema[];
  valueType?: Schema;
  left?: Schema;
  right?: Schema;
  items?: Schema[];
  rest?: Schema | null;
}
interface Schema {
  _zod: { def: Def };
}

/**
 * The paths of every object inside `schema`, at any depth, that lets unknown keys through
 * (`z.object`, `z.looseObject`). Records (`z.record`) are open on purpose and not counted.
 */
export function looseObjects(schema: unknown, path = "input"): string[] {
  const def = (schema as Schema)._zod.def;
  const inner = (s: Schema | null | undefined, at = path) => (s ? looseObjects(s, at) : []);
  switch (def.type) {
    case "object":
      return [
        ...(def.catchall?._zod.def.type === "never" ? [] : [path]),
        ...Object.entries(def.shape ?? {}).flatMap(([key, s]) => inner(s, `${path}.${key}`)),
      ];
    case "pipe":
      return [...inner(def.in), ...inner(def.out)];
    case "array":
      return inner(def.element, `${path}[]`);
    case "union":
      return (def.options ?? []).flatMap((s) => inner(s));
    case "intersection":
      return [...inner(def.left), ...inner(def.right)];
    case "tuple":
      return [...(def.items ?? []).flatMap((s) => inner(s)), ...inner(def.rest)];
    case "record":
      return inner(def.valueType, `${path}[key]`);
    default:
      return inner(def.innerType);
  }
}
