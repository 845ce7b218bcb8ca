-- 004_campaigns.sql - what campaigns need beyond the seed: a subject
-- template, a start time, a saved audience, who changed a draft last, the
-- suppression list, and completion set by the database itself.

-- The audience is a saved filter (business statuses, platforms, an optional
-- name/website search, primary contact only). updated_by names whoever saved
-- last, so a refused concurrent save can say "changed by NAME at TIME".
ALTER TABLE campaigns
    ADD COLUMN subject_template text NOT NULL DEFAULT '',
    ADD COLUMN start_at timestamptz,
    ADD COLUMN audience_statuses text[] NOT NULL DEFAULT '{active}',
    ADD COLUMN audience_platforms text[] NOT NULL DEFAULT '{email}',
    ADD COLUMN audience_search text,
    ADD COLUMN audience_primary_only boolean NOT NULL DEFAULT true,
    ADD COLUMN updated_by text,
    ADD CONSTRAINT campaigns_audience_statuses_check
        CHECK (cardinality(audience_statuses) > 0 AND audience_statuses <@
               ARRAY['pending_scan', 'scanned', 'active', 'archived']::text[]),
    ADD CONSTRAINT campaigns_audience_platforms_check
        CHECK (cardinality(audience_platforms) > 0 AND audience_platforms <@
               ARRAY['email', 'instagram', 'facebook', 'twitter',
                     'linkedin']::text[]);

-- A message carries its rendered subject (e-mail only) next to the body, so
-- what the preview showed is what is sent, and the sender renders nothing.
-- The unsubscribe token is set only when the body asks for
-- {{unsubscribe_url}}; the delivery work resolves it.
ALTER TABLE messages
    ADD COLUMN subject text,
    ADD COLUMN unsubscribe_token text;
CREATE UNIQUE INDEX messages_unsubscribe_token
    ON messages (unsubscribe_token) WHERE unsubscribe_token IS NOT NULL;

-- Finding "is anything left to send" must not scan a campaign's sent
-- messages: this index holds only the pending ones.
CREATE INDEX messages_pending_by_campaign
    ON messages (campaign_id) WHERE status = 'pending';

-- Who asked not to be contacted: an address (e-mail, handle or profile URL,
-- stored lower-cased) or a whole business. Generation skips both; sending
-- checks again, since a suppression may arrive after generation.
CREATE TABLE suppressions (
    id SERIAL PRIMARY KEY,
    address text UNIQUE,
    business_id integer UNIQUE REFERENCES businesses(id) ON DELETE CASCADE,
    reason text,
    created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_by text,
    CONSTRAINT suppressions_one_target
        CHECK ((address IS NULL) <> (business_id IS NULL)),
    CONSTRAINT suppressions_address_lower
        CHECK (address = lower(btrim(address)) AND address <> '')
);

CREATE TRIGGER suppressions_notify_insert AFTER INSERT ON suppressions
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_notify_changes();
CREATE TRIGGER suppressions_notify_update AFTER UPDATE ON suppressions
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_notify_changes();
CREATE TRIGGER suppressions_notify_delete AFTER DELETE ON suppressions
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_notify_changes();

-- A sending campaign becomes completed when its last pending message is
-- sent, fails or is deleted, whoever changes it (a send worker, a mark by
-- hand, psql). The campaign row is locked before looking for pending
-- messages: two workers finishing the last two messages at once would
-- otherwise each still see the other's message pending and neither would
-- complete the campaign. The second waits for the first to commit, and its
-- next statement sees that commit.
CREATE FUNCTION outreach_complete_campaigns() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    cid integer;
BEGIN
    FOR cid IN
        SELECT c.id FROM campaigns c
        WHERE c.status = 'sending'
          AND c.id IN (SELECT DISTINCT r.campaign_id FROM changed_rows r
                       WHERE TG_OP = 'DELETE' OR r.status <> 'pending')
        ORDER BY c.id
    LOOP
        PERFORM 1 FROM campaigns WHERE id = cid FOR NO KEY UPDATE;
        UPDATE campaigns SET status = 'completed'
        WHERE id = cid AND status = 'sending'
          AND NOT EXISTS (SELECT 1 FROM messages m
                          WHERE m.campaign_id = cid AND m.status = 'pending');
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE TRIGGER messages_complete_update AFTER UPDATE ON messages
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_complete_campaigns();
CREATE TRIGGER messages_complete_delete AFTER DELETE ON messages
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_complete_campaigns();
