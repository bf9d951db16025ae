import { z } from "zod";

const name = z.string().trim().min(1, "name is required").max(200);
const fields = z.record(z.string(), z.unknown());
/** In an update, a field set to null is removed; an omitted one keeps its value. */
const patch = z.record(z.string(), z.unknown().nullable());

export const credentialInputs = {
  create: z.strictObject({
    name,
    type: z.string().min(1, "type is required"),
    settings: fields.default({}),
    secret: fields.default({}),
  }),
  update: z
    .strictObject({
      credentialId: z.string().min(1),
      name: name.optional(),
      settings: patch.optional(),
      secret: patch.optional(),
    })
    .refine((v) => v.name !== undefined || v.settings !== undefined || v.secret !== undefined, {
      message: "nothing to update: send name, settings or secret",
      path: ["name"],
    }),
  id: z.strictObject({ credentialId: z.string().min(1) }),
  /** HTTP credentials have no address of their own: the test names an endpoint to try. */
  test: z.strictObject({ credentialId: z.string().min(1), url: z.string().max(2048).optional() }),
};
