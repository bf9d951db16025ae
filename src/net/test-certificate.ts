/**
 * Throwaway TLS certificates for tests (used by *.test.ts only), made with the openssl
 * command-line tool: tests that need one skip themselves where openssl is missing.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed P-256 certificate for `hostname`, valid for a day. */
export function selfSignedCertificate(hostname: string): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "fluxo-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
        ...["-nodes", "-days", "1", "-subj", `/CN=${hostname}`],
        ...["-addext", `subjectAltName=DNS:${hostname}`],
        ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
      ],
      { stdio: "ignore" },
    );
    return {
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
      key: readFileSync(join(dir, "key.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
