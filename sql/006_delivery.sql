-- 006_delivery.sql - what sending needs: a claim on each message taken by a
-- worker (e-mail) or a person (the manual social queue), attempts and the
-- last error, the Message-ID header that was sent, a retry time, the
-- history of every message, and a channel that wakes idle send workers.

-- A message stays 'pending' while claimed: the seed's statuses are kept,
-- and a claimed message still counts as not done for campaign completion.
-- claimed_by names the worker or person (its database session carries the
-- same name as application_name, so a claim whose owner is gone can be told
-- from a slow one). next_attempt_at holds back a message after a transient
-- error. failed_at dates a failure, as sent_at dates a delivery.
ALTER TABLE messages
    ADD COLUMN claimed_by text,
    ADD COLUMN claimed_at timestamptz,
    ADD COLUMN attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN last_error text,
    ADD COLUMN message_id_header text,
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN failed_at timestamptz,
    ADD CONSTRAINT messages_attempts_check CHECK (attempts >= 0),
    ADD CONSTRAINT messages_claim_check
        CHECK ((claimed_by IS NULL) = (claimed_at IS NULL));

CREATE UNIQUE INDEX messages_message_id_header
    ON messages (message_id_header) WHERE message_id_header IS NOT NULL;

-- The work queue: unclaimed pending messages in id order per campaign, so a
-- claim reads the first free rows of the index and stops.
CREATE INDEX messages_unclaimed
    ON messages (campaign_id, id)
    WHERE status = 'pending' AND claimed_by IS NULL;

-- Claims still open, for finding those whose owner is gone.
CREATE INDEX messages_claimed
    ON messages (claimed_at)
    WHERE status = 'pending' AND claimed_by IS NOT NULL;

-- Recent outcomes: the daily sending cap, the monitor's rate over the last
-- minute and its latest errors.
CREATE INDEX messages_sent_at ON messages (sent_at)
    WHERE sent_at IS NOT NULL;
CREATE INDEX messages_failed_at ON messages (campaign_id, failed_at)
    WHERE failed_at IS NOT NULL;

-- What happened to each message and who did it: written by the database
-- for every change of status or claim, whoever makes it (a worker, a mark
-- by hand, psql). actor is the claimant, else the session's
-- outreach.actor setting.
CREATE TABLE message_events (
    id bigserial PRIMARY KEY,
    message_id integer NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    event text NOT NULL,
    detail text,
    actor text
);
CREATE INDEX message_events_by_message ON message_events (message_id, id);

CREATE FUNCTION outreach_message_events() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO message_events (message_id, event, detail, actor)
    SELECT e.id, e.event, e.detail,
           coalesce(e.claimant, nullif(current_setting('outreach.actor', true), ''))
    FROM (
        SELECT n.id,
               CASE
                   WHEN n.status <> o.status THEN n.status
                   WHEN n.claimed_by IS NOT NULL AND o.claimed_by IS NULL
                       THEN 'claimed'
                   WHEN n.claimed_by IS NULL AND o.claimed_by IS NOT NULL
                       THEN CASE WHEN n.last_error IS DISTINCT FROM o.last_error
                                 THEN 'retry' ELSE 'released' END
               END AS event,
               CASE WHEN n.last_error IS DISTINCT FROM o.last_error
                    THEN n.last_error END AS detail,
               coalesce(n.claimed_by, o.claimed_by) AS claimant
        FROM new_rows n JOIN old_rows o ON o.id = n.id
    ) e
    WHERE e.event IS NOT NULL;
    RETURN NULL;
END;
$$;

CREATE TRIGGER messages_events AFTER UPDATE ON messages
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_message_events();

-- Send workers sleep on LISTEN outreach_send and wake when there may be new
-- work: a campaign starts or resumes sending or is scheduled (a running
-- sender starts it when its time comes), messages are generated, or a
-- message is put back to pending (a retry by hand).
CREATE FUNCTION outreach_wake_senders() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outreach_send', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER campaigns_wake_senders AFTER UPDATE OF status, start_at
    ON campaigns
    FOR EACH ROW WHEN (NEW.status IN ('sending', 'scheduled')
                       AND (NEW.status <> OLD.status
                            OR NEW.start_at IS DISTINCT FROM OLD.start_at))
    EXECUTE FUNCTION outreach_wake_senders();
CREATE TRIGGER messages_wake_senders_insert AFTER INSERT ON messages
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_wake_senders();
CREATE TRIGGER messages_wake_senders_retry AFTER UPDATE OF status ON messages
    FOR EACH ROW WHEN (NEW.status = 'pending' AND OLD.status <> 'pending')
    EXECUTE FUNCTION outreach_wake_senders();
