-- 001_init.sql - the schema of the product: the five seed tables exactly as
-- specified, plus CHECK constraints for their vocabularies, updated_at
-- triggers, and change notifications for live screens.

CREATE TABLE businesses (
    id SERIAL PRIMARY KEY,
    name VARCHAR(255) NOT NULL UNIQUE,
    website VARCHAR(255),
    email VARCHAR(255),
    phone_number VARCHAR(50),
    address TEXT,
    status VARCHAR(50) NOT NULL DEFAULT 'pending_scan',
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT businesses_status_check
        CHECK (status IN ('pending_scan', 'scanned', 'active', 'archived'))
);

CREATE INDEX idx_businesses_name ON businesses (name);
CREATE INDEX idx_businesses_status ON businesses (status);

CREATE TABLE contacts (
    id SERIAL PRIMARY KEY,
    business_id INTEGER NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    type VARCHAR(50) NOT NULL,
    value TEXT NOT NULL,
    source VARCHAR(50) NOT NULL,
    is_primary BOOLEAN DEFAULT FALSE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (business_id, type, value),
    CONSTRAINT contacts_type_check
        CHECK (type IN ('email', 'instagram', 'facebook', 'twitter',
                        'linkedin', 'phone', 'contact_form')),
    CONSTRAINT contacts_source_check
        CHECK (source IN ('csv', 'scanned_website', 'scanned_social_media'))
);

CREATE INDEX idx_contacts_business_id ON contacts (business_id);
CREATE INDEX idx_contacts_type ON contacts (type);
-- At most one primary contact per business and type.
CREATE UNIQUE INDEX contacts_one_primary_per_type
    ON contacts (business_id, type) WHERE is_primary;

CREATE TABLE campaigns (
    id SERIAL PRIMARY KEY,
    name VARCHAR(255) NOT NULL UNIQUE,
    message_template TEXT NOT NULL,
    status VARCHAR(50) NOT NULL DEFAULT 'draft',
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT campaigns_status_check
        CHECK (status IN ('draft', 'scheduled', 'sending', 'paused',
                          'completed', 'cancelled'))
);

CREATE INDEX idx_campaigns_name ON campaigns (name);
CREATE INDEX idx_campaigns_status ON campaigns (status);

CREATE TABLE messages (
    id SERIAL PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    business_id INTEGER NOT NULL REFERENCES businesses(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    platform VARCHAR(50) NOT NULL,
    personalized_content TEXT NOT NULL,
    status VARCHAR(50) NOT NULL DEFAULT 'pending',
    sent_at TIMESTAMP WITH TIME ZONE,
    opened_at TIMESTAMP WITH TIME ZONE,
    replied_at TIMESTAMP WITH TIME ZONE,
    UNIQUE (campaign_id, business_id, contact_id, platform),
    CONSTRAINT messages_platform_check
        CHECK (platform IN ('email', 'instagram', 'facebook', 'twitter',
                            'linkedin')),
    CONSTRAINT messages_status_check
        CHECK (status IN ('pending', 'sent', 'failed', 'opened', 'replied'))
);

CREATE INDEX idx_messages_campaign_id ON messages (campaign_id);
CREATE INDEX idx_messages_business_id ON messages (business_id);
CREATE INDEX idx_messages_contact_id ON messages (contact_id);
CREATE INDEX idx_messages_status ON messages (status);

CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    username VARCHAR(255) NOT NULL UNIQUE,
    password_hash VARCHAR(255) NOT NULL,
    email VARCHAR(255) UNIQUE,
    is_admin BOOLEAN DEFAULT FALSE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_users_username ON users (username);

-- updated_at follows every change, whoever makes it (the TUI, the CLI or
-- psql), so concurrent-edit checks can trust it.
CREATE FUNCTION outreach_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$;

CREATE TRIGGER businesses_touch BEFORE UPDATE ON businesses
    FOR EACH ROW EXECUTE FUNCTION outreach_touch_updated_at();
CREATE TRIGGER contacts_touch BEFORE UPDATE ON contacts
    FOR EACH ROW EXECUTE FUNCTION outreach_touch_updated_at();
CREATE TRIGGER campaigns_touch BEFORE UPDATE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION outreach_touch_updated_at();
CREATE TRIGGER users_touch BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION outreach_touch_updated_at();

-- Change notifications: NOTIFY outreach_changes, '<table>:<id>' for each
-- changed row. Statement-level triggers see all changed rows at once, so a
-- bulk import of a million rows sends one '<table>:*' instead of a million
-- notifications; screens then refresh what they show.
CREATE FUNCTION outreach_notify_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    changed_id integer;
BEGIN
    SELECT count(*) INTO n FROM changed_rows;
    IF n = 0 THEN
        RETURN NULL;
    ELSIF n > 100 THEN
        PERFORM pg_notify('outreach_changes', TG_TABLE_NAME || ':*');
    ELSE
        FOR changed_id IN SELECT id FROM changed_rows LOOP
            PERFORM pg_notify('outreach_changes',
                              TG_TABLE_NAME || ':' || changed_id);
        END LOOP;
    END IF;
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['businesses', 'contacts', 'campaigns',
                             'messages', 'users'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I '
                       'REFERENCING NEW TABLE AS changed_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION outreach_notify_changes()',
                       t || '_notify_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I '
                       'REFERENCING NEW TABLE AS changed_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION outreach_notify_changes()',
                       t || '_notify_update', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I '
                       'REFERENCING OLD TABLE AS changed_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION outreach_notify_changes()',
                       t || '_notify_delete', t);
    END LOOP;
END;
$$;
