import type { Auth } from "../auth/auth.ts";
import type { Config } from "../config/config.ts";
import type { Database } from "../db/client.ts";
import type { JobQueue } from "../jobs/queue.ts";
import type { Logger } from "../lib/logger.ts";
import type { Mailer } from "../lib/mailer.ts";
import type { LastUsedRecorder } from "../modules/api-keys/last-used.ts";
import type { Keyring } from "../modules/vault/keyring.ts";
import type { KeyringPresence } from "../modules/vault/presence.ts";
import type { EngineDeps } from "../modules/workflows/engine/deps.ts";
import type { Outbound } from "../net/outbound.ts";

/** Long-lived collaborators the transports hand to services. */
export interface AppDeps {
  config: Config;
  database: Database;
  auth: Auth;
  mailer: Mailer;
  logger: Logger;
  /** The vault's keys (from config). */
  keyring: Keyring;
  /** This process's record of its key ids, which `vault rotate` checks before rotating. */
  keyringPresence: KeyringPresence;
  /** The SSRF-guarded client every outbound connection goes through. */
  outbound: Outbound;
  /** The job queue (pg-boss) on the same database. */
  queue: JobQueue;
  /** What the workflow engine works with. */
  engine: EngineDeps;
  /** Records API key use (time and IP) off the request path; call `note` after a verify. */
  apiKeyUsage: LastUsedRecorder;
}
