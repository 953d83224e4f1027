-- 0005_long_values.sql - unique rules that hold every value the API
-- accepts. A B-tree index row holds at most about 2.7 kB, but the
-- reference lets identifiers be 1 MiB long (and external objects join
-- five texts of up to 1 MiB in one rule): such a value failed the insert
-- with "index row size exceeds maximum", a 500.
--
-- The identifiers keep their uniqueness as exclusion constraints over hash
-- indexes, which store a 4-byte hash of the value whatever its length and
-- still serve the equality filters; the constraint names stay, so the API
-- answers a clash as before (src/write.c). The external object's rule is
-- over the MD5 of each part: NULLs stay distinct (md5(NULL) is NULL), as in
-- the reference. Name and version columns, which glob filters read through
-- their B-tree indexes, keep them: their byte lengths are bounded instead
-- (the max_bytes of their fields, docs/security.md).

-- PostgreSQL checks a row's indexes in the order they were made: the
-- uuid's is made again after the identifier's, so that a clash is still
-- reported on the identifier (the uuid derives from it).
ALTER TABLE author
	DROP CONSTRAINT author_identifier_key,
	DROP CONSTRAINT author_uuid_key;
ALTER TABLE author
	ADD CONSTRAINT author_identifier_key
		EXCLUDE USING hash (identifier WITH =);
ALTER TABLE author
	ADD CONSTRAINT author_uuid_key UNIQUE (uuid);
ALTER TABLE keyword
	DROP CONSTRAINT keyword_identifier_key,
	ADD CONSTRAINT keyword_identifier_key
		EXCLUDE USING hash (identifier WITH =);
ALTER TABLE licence
	DROP CONSTRAINT licence_identifier_key,
	ADD CONSTRAINT licence_identifier_key
		EXCLUDE USING hash (identifier WITH =);

ALTER TABLE external_object
	DROP CONSTRAINT
		external_object_identifier_alternate_identifier_alternate_ident;
CREATE UNIQUE INDEX
	external_object_identifier_alternate_identifier_alternate_ident
	ON external_object (md5(identifier), md5(alternate_identifier),
		md5(alternate_identifier_type), md5(title), md5(version));
CREATE INDEX external_object_identifier_idx
	ON external_object USING hash (identifier);
