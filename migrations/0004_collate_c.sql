-- 0004_collate_c.sql - every text column compares byte for byte (COLLATE
-- "C"), whatever collation the database was created with. Ordering, keyset
-- cursors, unique names and the glob filters' index ranges (src/glob.c) then
-- give the same answers on a database created with en_US.UTF-8 or an ICU
-- locale (the usual defaults) as on `make run`'s C database. A column's
-- collation travels with it into a dump, so a restore into a database of
-- another collation keeps it too. New text columns say COLLATE "C"
-- themselves (a test fails for one that does not).
DO $$
DECLARE
	col record;
BEGIN
	FOR col IN
		SELECT a.attrelid::regclass AS tbl, a.attname,
			format_type(a.atttypid, a.atttypmod) AS typ
		FROM pg_attribute a
		JOIN pg_class r ON r.oid = a.attrelid
		WHERE r.relnamespace = (SELECT oid FROM pg_namespace
				WHERE nspname = current_schema())
			AND r.relkind = 'r' AND a.attnum > 0
			AND NOT a.attisdropped AND a.attcollation <> 0
			AND a.attcollation <> (SELECT oid FROM pg_collation
				WHERE collname = 'C'
				AND collnamespace = 'pg_catalog'::regnamespace)
		ORDER BY 1, 2
	LOOP
		EXECUTE format('ALTER TABLE %s ALTER COLUMN %I TYPE %s COLLATE "C"',
			col.tbl, col.attname, col.typ);
	END LOOP;
END $$;
