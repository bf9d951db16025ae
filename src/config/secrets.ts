import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
