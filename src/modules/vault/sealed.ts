import type { Db, Tx } from "../../db/client.ts";
import type { Keyring } from "./keyring.ts";

/** One stored vault envelope, with what it is bound to. */
export interface SealedRow {
  id: string;
  organizationId: string;
  envelope: string;
}

/**
 * A column holding vault envelopes (`v1.<kid>.…`, see crypto.ts). Every column encrypted
 * with the keyring is listed in sealed-columns.ts, so that rotation and the status report
 * cover all of them: a key may only be removed once no column uses it.
 */
export interface SealedColumn<Row extends SealedRow = SealedRow> {
  /** `table.column`, as the status report names it. */
  name: string;
  /** A batch of rows (any organization) whose envelope is not under `activeKeyId`. */
  findNotUnderKey(db: Db, activeKeyId: string, limit: number): Promise<Row[]>;
  /** Decrypts with the row's own binding and encrypts under the active key. */
  reseal(keyring: Keyring, row: Row): string;
  /** Replaces the envelope only if it is still the one read; false when it changed meanwhile. */
  swap(tx: Tx, row: Row, next: string, keyId: string): Promise<boolean>;
  /** How many envelopes each key id holds. */
  countByKey(db: Db): Promise<{ keyId: string; rows: number }[]>;
}
