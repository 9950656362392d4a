-- The cluster state (~10 KB of JSON text, rewritten whole by every mutation) is compressed with lz4 instead of
-- pglz: PostgreSQL spends much less CPU compressing each new version (raw-pg limit +7-13% at 8 and 32 clients on
-- the bench machine) for ~10% more bytes stored. Existing values stay as they are until rewritten. Where lz4 is
-- not available (the embedded PGlite, a server built without it) the column keeps pglz.
DO $$
BEGIN
  ALTER TABLE "Cluster" ALTER COLUMN "state" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available here: Cluster.state keeps the default compression';
END $$;
