-- 0002_object_store.sql - what the registry's own object store needs to
-- remember between starts: the key that signs upload URLs, made once per
-- installation, and which storage root stands for the stored files (the
-- root that storage locations name to point at them, <base URL>/data/).
-- One row, so the workers read both with one statement.

CREATE TABLE object_store (
	one boolean PRIMARY KEY DEFAULT true CHECK (one),
	-- 32 bytes from two version-4 UUIDs: 244 random bits from the
	-- server's strong random source, without needing pgcrypto.
	upload_key bytea NOT NULL DEFAULT decode(
		replace(gen_random_uuid()::text || gen_random_uuid()::text,
			'-', ''),
		'hex'),
	-- Unset until the root is registered (src/store.c).
	data_root_id bigint REFERENCES storage_root (id) ON DELETE SET NULL
);

INSERT INTO object_store DEFAULT VALUES;
