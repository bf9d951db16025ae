CREATE TABLE "vault_keyring_instance" (
	"instance_id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"active_key_id" text NOT NULL,
	"key_ids" text[] NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
