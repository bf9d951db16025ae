/**
 * https through the guard: the socket goes to the vetted loopback IP while TLS uses the
 * original name for SNI and certificate checking. Needs the openssl CLI to make a throwaway
 * certificate; every name is answered by a stub resolver and every connect is loopback-only.
 */
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "./allowlist.ts";
import { OutboundError } from "./errors.ts";
import { createOutbound } from "./outbound.ts";
import { hasOpenssl, selfSignedCertificate } from "./test-certificate.ts";
import { loopbackOnlyConnect, stubResolver } from "./testing.ts";

describe.skipIf(!hasOpenssl())("https to a vetted address", () => {
  let server: https.Server;
  let port = 0;
  let cert = "";

  beforeAll(async () => {
    const generated = selfSignedCertificate("secure.test");
    cert = generated.cert;
    const key = generated.key;
    server = https.createServer({ key, cert }, (req, res) => {
      const sni = (req.socket as TLSSocket).servername;
      res.end(JSON.stringify({ host: req.headers.host, sni }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function guard() {
    const resolver = stubResolver({ "secure.test": ["127.0.0.1"], "wrong.test": ["127.0.0.1"] });
    const connect = loopbackOnlyConnect();
    const allow = parseAllowlist(`127.0.0.1:${port}`);
    return {
      outbound: createOutbound({ allow, resolver, connect, ca: cert, timeoutMs: 3000 }),
      connect,
    };
  }

  it("sends the original name as SNI and Host, and verifies the certificate against it", async () => {
    const { outbound, connect } = guard();
    const res = await outbound.fetch(`https://secure.test:${port}/`);
    expect(res.json()).toEqual({ host: `secure.test:${port}`, sni: "secure.test" });
    expect(connect.targets).toEqual([
      { address: "127.0.0.1", family: 4, port, tls: true, servername: "secure.test", ca: cert },
    ]);
  });

  it("fails when the certificate does not match the name asked for", async () => {
    const err = await guard()
      .outbound.fetch(`https://wrong.test:${port}/`)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundError);
    expect((err as Error).message).toContain(`Could not connect to wrong.test:${port}`);
    expect((err as Error).message).toContain("wrong.test");
  });
});
