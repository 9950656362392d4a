-- The cluster state becomes JSON text, kept byte for byte as the engine writes it (see the Cluster model: every
-- mutation reads and writes it whole, and jsonb's parse and re-serialisation were most of PostgreSQL's work).
-- Existing rows keep their content, in jsonb's text form, which the engine reads like any JSON.
ALTER TABLE "Cluster" ALTER COLUMN "state" SET DATA TYPE TEXT USING "state"::text;
