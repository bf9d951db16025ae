import { z } from "zod";

const name = z.string().trim().min(1, "name is required").max(200);
const description = z.string().max(5000);

export const workflowInputs = {
  create: z.strictObject({ name, description: description.default("") }),
  id: z.strictObject({ workflowId: z.string().min(1) }),
  update: z
    .strictObject({
      workflowId: z.string().min(1),
      name: name.optional(),
      description: description.optional(),
    })
    .refine((v) => v.name !== undefined || v.description !== undefined, {
      message: "nothing to update: send name or description",
      path: ["name"],
    }),
};
