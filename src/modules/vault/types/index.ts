import { AppError } from "../../../lib/errors.ts";
import type { CredentialType } from "./define.ts";
import { httpBasic } from "./http-basic.ts";
import { httpBearer } from "./http-bearer.ts";
import { httpHeader } from "./http-header.ts";
import { postgres } from "./postgres.ts";
import { slackWebhook } from "./slack-webhook.ts";
import { smtp } from "./smtp.ts";

export { type CredentialType, defineCredentialType, parseCredential } from "./define.ts";

/** Every credential type, by id. To add one: write its file, import it, list it here. */
const all = [httpBearer, httpBasic, httpHeader, smtp, slackWebhook, postgres] as const;

export type CredentialTypeId = (typeof all)[number]["id"];

export const credentialTypes: ReadonlyMap<string, CredentialType> = new Map(
  all.map((type) => [type.id, type as CredentialType]),
);
if (credentialTypes.size !== all.length) throw new Error("Two credential types share an id");

export const isCredentialTypeId = (id: string): id is CredentialTypeId => credentialTypes.has(id);

/** Looks a type up by id; an unknown id is a client error on the "type" field. */
export function getCredentialType(id: string): CredentialType {
  const type = credentialTypes.get(id);
  if (type) return type;
  // Echo the id only when it looks like one, so arbitrary input is not reflected back.
  const shown = /^[a-z0-9_]{1,64}$/.test(id) ? ` "${id}"` : "";
  throw new AppError(
    "BAD_REQUEST",
    `Unknown credential type${shown}: use one of ${[...credentialTypes.keys()].join(", ")}`,
    { field: "type" },
  );
}
