-- 0004_import_state.sql - where an unfinished `registry import` stopped
-- (src/import/): for each source and resource, the position of the next page
-- to read ('' once the resource is done). Written in the same transaction as
-- the batch it follows, so a run killed at any moment resumes at the first
-- page it had not committed. A finished run removes its rows.
CREATE TABLE import_state (
	source text NOT NULL,
	resource text NOT NULL,
	next text NOT NULL,
	PRIMARY KEY (source, resource)
);

-- The records an import brought in, so that a later run tells a record it
-- brought (which it may update when the source changed it) from one this
-- registry made itself with the same id (a conflict: the import stops).
CREATE TABLE import_seen (
	tbl text NOT NULL,
	id bigint NOT NULL,
	PRIMARY KEY (tbl, id)
);
