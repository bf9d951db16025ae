import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AppError } from "../../../lib/errors.ts";
import { credentialTypes, getCredentialType, parseCredential } from "./index.ts";

type Input = { settings: unknown; secret: unknown };

function smtpWith(settings: Record<string, unknown>): Input {
  const base = {
    host: "smtp.example.com",
    port: 587,
    secure: false,
    user: "mailer",
    from: "Fluxo <no-reply@example.com>",
  };
  return { settings: { ...base, ...settings }, secret: { password: "hunter2" } };
}

function pgFields() {
  return { mode: "fields", host: "db", port: 5432, database: "app", user: "u", ssl: "require" };
}

/** One valid example per type, and invalid variants with the field their error must name. */
const examples: Record<string, { valid: Input[]; invalid: [Input, string][] }> = {
  http_bearer: {
    valid: [{ settings: {}, secret: { token: "abc.DEF-123_~+/=" } }],
    invalid: [
      [{ settings: {}, secret: { token: "" } }, "secret.token"],
      [{ settings: {}, secret: { token: "abc\r\nX-Evil: 1" } }, "secret.token"],
      [{ settings: {}, secret: {} }, "secret.token"],
    ],
  },
  http_basic: {
    valid: [{ settings: { username: "alice" }, secret: { password: "p:ss w0rd" } }],
    invalid: [
      [{ settings: { username: "al:ice" }, secret: { password: "x" } }, "settings.username"],
      [{ settings: { username: "alice" }, secret: { password: "a\nb" } }, "secret.password"],
    ],
  },
  http_header: {
    valid: [{ settings: { headerName: "X-API-Key" }, secret: { value: "k 123\t456" } }],
    invalid: [
      [{ settings: { headerName: "Host" }, secret: { value: "x" } }, "settings.headerName"],
      [
        { settings: { headerName: "content-length" }, secret: { value: "1" } },
        "settings.headerName",
      ],
      [{ settings: { headerName: "X Key" }, secret: { value: "x" } }, "settings.headerName"],
      [{ settings: { headerName: "X-Key:" }, secret: { value: "x" } }, "settings.headerName"],
      [{ settings: { headerName: "X-Key" }, secret: { value: "a\r\nHost: evil" } }, "secret.value"],
    ],
  },
  smtp: {
    valid: [
      smtpWith({}),
      smtpWith({ host: "10.0.0.5", port: 465, secure: true, from: "ops@example.com" }),
    ],
    invalid: [
      [smtpWith({ port: 70000 }), "settings.port"],
      [smtpWith({ host: "smtp://x.example" }), "settings.host"],
      [smtpWith({ from: "not an address" }), "settings.from"],
      [smtpWith({ secure: "yes" }), "settings.secure"],
      [{ ...smtpWith({}), secret: {} }, "secret.password"],
    ],
  },
  slack_webhook: {
    valid: [{ settings: {}, secret: { url: "https://hooks.slack.com/services/T0/B0/XyZ" } }],
    invalid: [
      [{ settings: {}, secret: { url: "http://hooks.slack.com/services/T0/B0/X" } }, "secret.url"],
      [
        { settings: {}, secret: { url: "https://hooks.slack.com.evil.io/services/T/B/X" } },
        "secret.url",
      ],
      [
        { settings: {}, secret: { url: "https://evil.io/?hooks.slack.com/services/" } },
        "secret.url",
      ],
      [
        { settings: {}, secret: { url: "https://hooks.slack.com:8443/services/T/B/X" } },
        "secret.url",
      ],
    ],
  },
  postgres: {
    valid: [
      {
        settings: { mode: "url" },
        secret: { connectionUrl: "postgres://u:p@db.internal:5432/app" },
      },
      {
        settings: {
          mode: "fields",
          host: "db.internal",
          port: 5432,
          database: "app",
          user: "u",
          ssl: "verify-full",
        },
        secret: { password: "pw" },
      },
    ],
    invalid: [
      [
        { settings: { mode: "url" }, secret: { connectionUrl: "mysql://db/app" } },
        "secret.connectionUrl",
      ],
      [{ settings: { mode: "url" }, secret: {} }, "secret.connectionUrl"],
      [
        {
          settings: { mode: "url" },
          secret: { connectionUrl: "postgres://db/app", password: "x" },
        },
        "secret.password",
      ],
      [{ settings: { ...pgFields(), port: 0 }, secret: { password: "pw" } }, "settings.port"],
      [{ settings: { ...pgFields(), ssl: "maybe" }, secret: { password: "pw" } }, "settings.ssl"],
      [{ settings: pgFields(), secret: {} }, "secret.password"],
      [{ settings: { mode: "socket" }, secret: {} }, "settings.mode"],
    ],
  },
};

/** The dotted path of the first issue, or of the unknown key an issue names. */
function failedField(type: string, input: Input): string {
  try {
    parseCredential(getCredentialType(type), input);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const issue = error.issues[0];
    const keys = issue?.code === "unrecognized_keys" ? issue.keys : [];
    return [...(issue?.path ?? []), ...keys].join(".");
  }
  throw new Error(`${type}: expected ${JSON.stringify(input)} to be rejected`);
}

describe("credential types", () => {
  it("has an example for every registered type, and ids that match their key", () => {
    expect(Object.keys(examples).sort()).toEqual([...credentialTypes.keys()].sort());
    for (const [id, type] of credentialTypes) {
      expect(type.id).toBe(id);
      expect(type.displayName).not.toBe("");
    }
  });

  describe.each(Object.entries(examples))("%s", (id, { valid, invalid }) => {
    it("accepts valid examples", () => {
      for (const input of valid) {
        expect(parseCredential(getCredentialType(id), input)).toEqual(input);
      }
    });

    it.each(invalid)("rejects %j naming %s", (input, field) => {
      expect(failedField(id, input)).toBe(field);
    });

    it("refuses unknown settings keys, so a secret is never stored as a setting", () => {
      const input = valid[0] ?? { settings: {}, secret: {} };
      const settings = { ...(input.settings as object), password: "oops" };
      expect(failedField(id, { ...input, settings })).toBe("settings.password");
    });
  });

  it("reports an unknown type as a bad request on the type field", () => {
    const error = (() => {
      try {
        getCredentialType("ftp");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", details: { field: "type" } });
    expect((error as AppError).message).toMatch(/Unknown credential type "ftp"/);
    expect(() => getCredentialType("<script>")).toThrow(/^Unknown credential type: use one of/);
  });
});
