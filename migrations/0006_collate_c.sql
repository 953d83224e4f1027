-- 0006_collate_c.sql - every text column compares byte for byte (COLLATE
-- "C"), whatever collation the database was created with. Ordering, keyset
-- cursors, unique names and the glob filters' index ranges (src/glob.c) then
-- give the same answers on a database created with en_US.UTF-8 or an ICU
-- locale (the usual defaults) as on `make run`'s C database. A column's
-- collation travels with it into a dump, so a restore into a database of
-- another collation keeps it too. New text columns say COLLATE "C"
-- themselves (a test fails for one that does not).
--
-- PostgreSQL checks a row against a table's unique indexes in the order
-- they were made, and when a write breaks two at once (an author's
-- identifier and the uuid derived from it) the first decides which field
-- the API names (src/write.c). Changing a column's collation rebuilds its
-- indexes as new ones, so each table's unique constraints are dropped first
-- and made again afterwards in their old order.
DO $$
DECLARE
	t regclass;
	col record;
	names text[];
	defs text[];
BEGIN
	FOR t IN
		SELECT DISTINCT a.attrelid::regclass
		FROM pg_attribute a
		JOIN pg_class r ON r.oid = a.attrelid
		WHERE r.relnamespace = (SELECT oid FROM pg_namespace
				WHERE nspname = current_schema())
			AND r.relkind = 'r' AND a.attnum > 0
			AND NOT a.attisdropped AND a.attcollation <> 0
			AND a.attcollation <> (SELECT oid FROM pg_collation
				WHERE collname = 'C'
				AND collnamespace = 'pg_catalog'::regnamespace)
	LOOP
		SELECT coalesce(array_agg(conname::text ORDER BY conindid), '{}'),
			coalesce(array_agg(pg_get_constraintdef(oid)
				ORDER BY conindid), '{}')
			INTO names, defs
			FROM pg_constraint WHERE conrelid = t AND contype = 'u';
		FOR i IN 1 .. cardinality(names) LOOP
			EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', t,
				names[i]);
		END LOOP;
		FOR col IN
			SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS typ
			FROM pg_attribute a
			WHERE a.attrelid = t AND a.attnum > 0
				AND NOT a.attisdropped AND a.attcollation <> 0
			ORDER BY a.attnum
		LOOP
			EXECUTE format('ALTER TABLE %s ALTER COLUMN %I TYPE %s '
				'COLLATE "C"', t, col.attname, col.typ);
		END LOOP;
		FOR i IN 1 .. cardinality(names) LOOP
			EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', t,
				names[i], defs[i]);
		END LOOP;
	END LOOP;
END $$;
