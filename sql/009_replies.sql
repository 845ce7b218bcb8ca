-- 009_replies.sql - where `outreach replies` stopped reading each mailbox:
-- the mailbox's UIDVALIDITY and the highest UID already read, so a run
-- reads only mail that arrived since the last one and an interrupted run
-- resumes after its last finished batch. A new UIDVALIDITY means the
-- server renumbered the mailbox: it is read again from the start, which
-- is harmless because matching a reply twice changes nothing.

-- server is scheme://host[:port], never with credentials.
CREATE TABLE reply_mailboxes (
    server text NOT NULL,
    mailbox text NOT NULL,
    uidvalidity bigint NOT NULL,
    last_uid bigint NOT NULL DEFAULT 0,
    checked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (server, mailbox),
    CONSTRAINT reply_mailboxes_uid_check
        CHECK (uidvalidity BETWEEN 1 AND 4294967295
               AND last_uid BETWEEN 0 AND 4294967295)
);
