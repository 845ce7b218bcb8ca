-- 003_search.sql - indexes behind the Businesses screen: a trigram index
-- for "/" search over name, website and e-mail together (one index, not
-- three, to keep imports fast), and one index per sort order so every page
-- is a keyset range scan.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX businesses_search_trgm ON businesses USING gin
    ((name || ' ' || coalesce(website, '') || ' ' || coalesce(email, ''))
     gin_trgm_ops);
CREATE INDEX businesses_status_name ON businesses (status, name);
CREATE INDEX businesses_updated_id ON businesses (updated_at, id);
