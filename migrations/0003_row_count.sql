-- 0003_row_count.sql - how many rows each resource table holds, kept by the
-- tables' own triggers, so that an unfiltered list's count is exact and
-- costs a few rows to read at any size instead of a pass over the table
-- (src/list.c, docs/performance.md).
--
-- One counter per table would make every insert wait for the previous
-- inserter's commit (they would all update the same row). So a table's count
-- is spread over slots, one per database session (the slot is the backend's
-- pid): a session only ever changes its own slot, so writers never wait for
-- one another. A session's first change to a table makes its slot and folds
-- into it the slots of sessions that have ended, so there are about as many
-- slots as sessions. The count is the sum of the slots, read in the same
-- snapshot as the page, so it always agrees with the rows the page was
-- chosen from.
--
-- A table is counted once row_count_track() has run for it: that creates
-- its triggers and its first slot (0), holding the rows it has now. A table
-- with no slot is counted the old way. A new resource's migration calls
-- row_count_track('<table>').

CREATE TABLE row_count (
	tbl text NOT NULL,
	slot integer NOT NULL,
	n bigint NOT NULL,
	PRIMARY KEY (tbl, slot)
);

CREATE FUNCTION row_count_add(t text, delta bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF delta = 0 THEN
		RETURN;
	END IF;
	UPDATE row_count SET n = n + delta
		WHERE tbl = t AND slot = pg_backend_pid();
	IF FOUND THEN
		RETURN;
	END IF;
	-- Slots of live sessions are left alone (their owners may be changing
	-- them); of the ended ones, those another session is folding already
	-- are skipped, not waited for.
	WITH gone AS (
		DELETE FROM row_count WHERE tbl = t AND slot IN (
			SELECT slot FROM row_count WHERE tbl = t AND slot NOT IN (
				SELECT pid FROM pg_stat_activity
				WHERE pid IS NOT NULL)
			FOR UPDATE SKIP LOCKED)
		RETURNING n)
	INSERT INTO row_count
		SELECT t, pg_backend_pid(), delta + coalesce(sum(n), 0) FROM gone;
END $$;

CREATE FUNCTION row_count_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM row_count_add(TG_TABLE_NAME, (SELECT count(*) FROM new_rows));
	RETURN NULL;
END $$;

CREATE FUNCTION row_count_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM row_count_add(TG_TABLE_NAME, -(SELECT count(*) FROM old_rows));
	RETURN NULL;
END $$;

CREATE FUNCTION row_count_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM row_count WHERE tbl = TG_TABLE_NAME;
	INSERT INTO row_count VALUES (TG_TABLE_NAME, 0, 0);
	RETURN NULL;
END $$;

-- The triggers' lock on the table keeps writers out until the migration
-- commits, so no row is counted twice or missed between the two steps.
CREATE FUNCTION row_count_track(t regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	name text := (SELECT relname FROM pg_class WHERE oid = t);
BEGIN
	EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s '
		'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
		'EXECUTE FUNCTION row_count_inserted()', name || '_count_ins', t);
	EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s '
		'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
		'EXECUTE FUNCTION row_count_deleted()', name || '_count_del', t);
	EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %s '
		'FOR EACH STATEMENT EXECUTE FUNCTION row_count_truncated()',
		name || '_count_trunc', t);
	DELETE FROM row_count WHERE tbl = name;
	EXECUTE format('INSERT INTO row_count SELECT %L, 0, count(*) FROM %s',
		name, t);
END $$;

SELECT row_count_track(t) FROM unnest(ARRAY[
	'users', 'groups', 'file_type', 'issue', 'author', 'storage_root',
	'storage_location', 'object', 'user_author', 'object_component',
	'code_run', 'namespace', 'data_product', 'external_object',
	'quality_controlled', 'keyword', 'licence', 'code_repo_release',
	'key_value']::regclass[]) AS t;
