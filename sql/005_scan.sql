-- 005_scan.sql - what the website scanner remembers about each business:
-- when it last tried, how many times, and why the last try failed.

-- scan_error is NULL after a successful scan; while it is set the site
-- counts as unreachable: the business keeps its status (pending_scan stays
-- pending_scan) and `outreach scan --retry-failed` picks it up again.
-- scan_attempts counts every scan, successful or not, so staff can tell a
-- site that failed once from one that never answers.
ALTER TABLE businesses
    ADD COLUMN last_scan_at TIMESTAMP WITH TIME ZONE,
    ADD COLUMN scan_attempts INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN scan_error TEXT,
    ADD COLUMN scan_pages INTEGER,
    ADD CONSTRAINT businesses_scan_attempts_check CHECK (scan_attempts >= 0),
    ADD CONSTRAINT businesses_scan_pages_check CHECK (scan_pages >= 0);

-- The failed scans are few among many businesses: a partial index keeps
-- `--retry-failed` and the TUI's "unreachable" filter cheap.
CREATE INDEX idx_businesses_scan_failed ON businesses (id)
    WHERE scan_error IS NOT NULL;
