-- 002_users.sql - what logging in needs: accounts that can be disabled,
-- a failure counter and lock stored here so every process counts the same
-- failures, and an audit log of who did what.

ALTER TABLE users
    ADD COLUMN disabled boolean NOT NULL DEFAULT false,
    ADD COLUMN last_login_at timestamptz,
    ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,
    ADD COLUMN locked_until timestamptz,
    -- Only libsodium's Argon2id strings: a plain or weakly hashed password
    -- can never be stored, whoever writes the row.
    ADD CONSTRAINT users_password_hash_argon2id
        CHECK (password_hash LIKE '$argon2id$%'),
    ADD CONSTRAINT users_failed_logins_check CHECK (failed_logins >= 0);

-- Append-only by convention: the model layer only ever inserts. actor is a
-- user name, or "os:<login>" for commands run without --user.
CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    action text NOT NULL,
    entity text,
    entity_id text,
    detail text
);

CREATE INDEX idx_audit_log_at ON audit_log (at);
