-- 0005_session_epoch.sql - signing out ends a session for good. Session
-- cookies are signed, not stored (src/session.c), so each carries the
-- user's session epoch; signing out moves the epoch on, and every cookie
-- made before no longer matches.

ALTER TABLE users ADD COLUMN session_epoch integer NOT NULL DEFAULT 0;
