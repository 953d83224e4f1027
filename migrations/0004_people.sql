-- 0004_people.sql - accounts for a registry many people use: a user can be
-- disabled (its token and sessions stop working, its records stay), and a
-- token keeps the first characters of its text so that `registry token
-- list` can tell tokens apart without the registry holding the token.

ALTER TABLE users ADD COLUMN disabled boolean NOT NULL DEFAULT false;

-- NULL for tokens made before this migration: their text was never kept.
ALTER TABLE tokens ADD COLUMN prefix text;
ALTER TABLE tokens ADD CONSTRAINT tokens_prefix_check
	CHECK (prefix ~ '^[0-9a-f]{8}$');
