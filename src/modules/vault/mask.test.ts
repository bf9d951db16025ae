import { describe, expect, it } from "vitest";
import { MASK, SecretMask } from "./mask.ts";
import type { UnsealedCredential } from "./use.ts";

const b64 = (text: string) => Buffer.from(text).toString("base64");

function maskOf(...credentials: Omit<UnsealedCredential, "id">[]) {
  const mask = new SecretMask();
  for (const credential of credentials) mask.add({ id: "c", ...credential });
  return mask;
}

describe("SecretMask", () => {
  it("masks every secret field of every credential type", () => {
    const cases: [Omit<UnsealedCredential, "id">, string][] = [
      [{ type: "http_bearer", settings: {}, secret: { token: "tok-123" } }, "tok-123"],
      [
        { type: "http_basic", settings: { username: "u" }, secret: { password: "pw-123" } },
        "pw-123",
      ],
      [
        { type: "http_header", settings: { headerName: "X-K" }, secret: { value: "k 123" } },
        "k 123",
      ],
      [
        {
          type: "smtp",
          settings: { host: "h", port: 25, secure: false, user: "u", from: "a@example.com" },
          secret: { password: "smtp-pw" },
        },
        "smtp-pw",
      ],
      [
        {
          type: "slack_webhook",
          settings: {},
          secret: { url: "https://hooks.slack.com/services/T/B/x" },
        },
        "https://hooks.slack.com/services/T/B/x",
      ],
      [
        {
          type: "postgres",
          settings: { mode: "url" },
          secret: { connectionUrl: "postgres://u:p@db/app" },
        },
        "postgres://u:p@db/app",
      ],
      [
        {
          type: "postgres",
          settings: {
            mode: "fields",
            host: "db",
            port: 5432,
            database: "d",
            user: "u",
            ssl: "require",
          },
          secret: { password: "pg-pass" },
        },
        "pg-pass",
      ],
    ];
    for (const [credential, secret] of cases) {
      expect(maskOf(credential).apply({ said: `it was ${secret}!` })).toEqual({
        said: `it was ${MASK}!`,
      });
    }
  });

  it("masks the encoded forms: URL-encoded, JSON-escaped, base64 at any alignment", () => {
    const secret = 'a+b/c=d"e\\f';
    const mask = maskOf({
      type: "http_header",
      settings: { headerName: "X" },
      secret: { value: secret },
    });
    for (const text of [
      encodeURIComponent(secret),
      JSON.stringify({ key: secret }),
      b64(secret),
      Buffer.from(secret).toString("base64url"),
      b64(`x${secret}y`),
      b64(`xy${secret}`),
      b64(`xyz${secret}`),
    ]) {
      const masked = mask.text(text);
      expect(masked, text).toContain(MASK);
      // What remains is at most the two characters around the secret's bits.
      expect(masked.replace(MASK, "").length, text).toBeLessThan(text.length - 8);
    }
  });

  it("masks what the type says reveals a secret: the basic-auth pair, a URL's password", () => {
    const basic = maskOf({
      type: "http_basic",
      settings: { username: "ada" },
      secret: { password: "pw" },
    });
    expect(basic.text(`Basic ${b64("ada:pw")}`)).toBe(`Basic ${MASK}`);
    expect(basic.text("ada:pw")).toBe(MASK);
    const pg = maskOf({
      type: "postgres",
      settings: { mode: "url" },
      secret: { connectionUrl: "postgres://u:s%40cret@db/app" },
    });
    expect(pg.apply(["s@cret", "s%40cret"])).toEqual([MASK, MASK]);
  });

  it("hides every character of overlapping secrets", () => {
    const mask = maskOf(
      { type: "http_bearer", settings: {}, secret: { token: "abcdef" } },
      { type: "http_bearer", settings: {}, secret: { token: "defghi" } },
    );
    expect(mask.text("1 abcdefghi 2 defghi")).toBe(`1 ${MASK} 2 ${MASK}`);
  });

  it("leaves secrets shorter than four characters alone", () => {
    const mask = maskOf({ type: "http_bearer", settings: {}, secret: { token: "abc" } });
    expect(mask.text("abcabc")).toBe("abcabc");
  });

  it("reaches keys, numbers and nested values; leaves dates, booleans and null as they are", () => {
    const mask = maskOf({ type: "http_bearer", settings: {}, secret: { token: "40413" } });
    const when = new Date(0);
    expect(mask.apply({ "k 40413": [{ n: 40413, ok: true, none: null, when }], m: 1 })).toEqual({
      [`k ${MASK}`]: [{ n: MASK, ok: true, none: null, when }],
      m: 1,
    });
  });
});
