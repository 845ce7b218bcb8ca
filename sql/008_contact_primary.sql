-- 008_contact_primary.sql - making a contact the primary one of its type in
-- one call: the partial unique index allows one primary per business and
-- type, so the old primary must be cleared before the new one is set, in
-- the same transaction.

CREATE FUNCTION outreach_toggle_primary(contact integer) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    c contacts%ROWTYPE;
BEGIN
    SELECT * INTO c FROM contacts WHERE id = contact FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF c.is_primary THEN
        UPDATE contacts SET is_primary = false WHERE id = contact;
        RETURN false;
    END IF;
    UPDATE contacts SET is_primary = false
        WHERE business_id = c.business_id AND type = c.type AND is_primary;
    UPDATE contacts SET is_primary = true WHERE id = contact;
    RETURN true;
END;
$$;
