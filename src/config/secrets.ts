import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Development convenience: a secret missing from the environment is generated once
 * into the data directory (mode 0600) so restarts keep sessions and ciphertexts valid.
 */
export function loadOrCreateSecret(dataDir: string, name: string) {
  const dir = resolve(dataDir, "secrets");
  const file = join(dir, name);
  if (existsSync(file)) {
    return { value: readFileSync(file, "utf8").trim(), file, isNew: false };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString("base64");
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return { value, file, isNew: true };
}

/** The keyring a development rotation leaves behind, in FLUXO_ENCRYPTION_KEYS format. */
export const DEVELOPMENT_KEYRING_FILE = "encryption-keys";

/** A secret of the data directory, or undefined when it has none. */
export function readSecret(dataDir: string, name: string): string | undefined {
  const file = join(resolve(dataDir, "secrets"), name);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

/** Replaces a secret of the data directory (mode 0600); a crash leaves the old or new file. */
export function writeSecret(dataDir: string, name: string, value: string): string {
  const dir = resolve(dataDir, "secrets");
  const file = join(dir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${value}\n`, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, file);
  return file;
}
