-- demo.sql - demo data for `outreach demo`: 300 fictional businesses in
-- fictional towns, with contacts of every type and source, two campaigns and
-- messages in every status. Websites and addresses use the reserved
-- .example domain and phone numbers come from a range set aside for fiction,
-- so nothing here can reach a real business.

WITH prefixes AS (
    SELECT i, p FROM unnest(ARRAY[
        'Alder & Ash', 'Birchwood', 'Copperleaf', 'Driftwood', 'Elmstead',
        'Fernhollow', 'Granite Peak', 'Hazelbrook', 'Ironbridge', 'Juniper',
        'Kestrel', 'Larkspur', 'Millrace', 'Nettlebed', 'Oakhaven',
        'Pebble Cove', 'Quillon', 'Rookery', 'Saltmarsh', 'Thistledown',
        'Umberfield', 'Valewood', 'Willowmere', 'Yarrow', 'Zephyr',
        'Café Lumière', 'Øresund', 'Brambleside', 'Cinderford', 'Dovecote'
    ]) WITH ORDINALITY AS t(p, i)
), trades AS (
    SELECT j, t, slug FROM unnest(
        ARRAY['Bakery', 'Bike Repair', 'Dental Studio', 'Florist',
              'Joinery', 'Opticians', 'Pet Grooming', 'Plumbing',
              'Tailoring', 'Yoga Loft'],
        ARRAY['bakery', 'bikes', 'dental', 'flowers', 'joinery',
              'optics', 'pets', 'plumbing', 'tailors', 'yoga'])
        WITH ORDINALITY AS u(t, slug, j)
), towns AS (
    SELECT k, town FROM unnest(ARRAY['Northbridge', 'Eastmere', 'Southwold Vale',
        'Westerby', 'Kingsholm Cross', 'Marlow Fen'])
        WITH ORDINALITY AS v(town, k)
), streets AS (
    SELECT k, street FROM unnest(ARRAY['Harbour Lane', 'Mill Street', 'Orchard Row',
        'Station Road', 'Chapel Yard', 'Quayside', 'Market Square'])
        WITH ORDINALITY AS w(street, k)
), numbered AS (
    SELECT (p.i - 1) * 10 + t.j AS n, p.p || ' ' || t.t AS name,
           lower(regexp_replace(translate(p.p, 'éèØ', 'eeo'), '[^A-Za-z]+', '-', 'g'))
               || '-' || t.slug AS slug
    FROM prefixes p CROSS JOIN trades t
)
INSERT INTO businesses (name, website, email, phone_number, address, status,
                        created_at, updated_at)
SELECT name,
       CASE WHEN n % 13 = 0 THEN NULL ELSE 'https://www.' || slug || '.example' END,
       CASE WHEN n % 10 < 6 THEN 'hello@' || slug || '.example' END,
       CASE WHEN n % 3 <> 0 THEN '+44 20 7946 0' || lpad((n % 1000)::text, 3, '0') END,
       (n % 90 + 1) || ' ' || s.street || ', ' || tw.town,
       CASE WHEN n % 10 < 4 THEN 'pending_scan'
            WHEN n % 10 < 6 THEN 'scanned'
            WHEN n % 10 < 9 THEN 'active'
            ELSE 'archived' END,
       now() - (n || ' hours')::interval,
       now() - ((n % 48) || ' minutes')::interval
FROM numbered
JOIN towns tw ON tw.k = n % 6 + 1
JOIN streets s ON s.k = n % 7 + 1
ORDER BY n;

-- Contacts: the business's own e-mail and phone came from the lead list;
-- the scanner found the rest on the website or on social profiles.
INSERT INTO contacts (business_id, type, value, source, is_primary)
SELECT id, 'email', email, 'csv', true FROM businesses WHERE email IS NOT NULL;

INSERT INTO contacts (business_id, type, value, source, is_primary)
SELECT id, 'email', 'bookings@' || split_part(website, 'https://www.', 2),
       'scanned_website', email IS NULL
FROM businesses WHERE website IS NOT NULL AND status <> 'pending_scan' AND id % 4 = 0;

INSERT INTO contacts (business_id, type, value, source, is_primary)
SELECT id, 'phone', phone_number, 'csv', true FROM businesses
WHERE phone_number IS NOT NULL;

INSERT INTO contacts (business_id, type, value, source, is_primary)
SELECT id, kind,
       CASE kind
           WHEN 'instagram' THEN 'https://www.instagram.com/'
           WHEN 'facebook' THEN 'https://www.facebook.com/'
           WHEN 'twitter' THEN 'https://www.twitter.com/'
           ELSE 'https://www.linkedin.com/company/' END
           || replace(split_part(split_part(website, 'https://www.', 2), '.', 1), '-', ''),
       CASE WHEN id % 5 = 0 THEN 'scanned_social_media' ELSE 'scanned_website' END,
       true
FROM businesses
CROSS JOIN unnest(ARRAY['instagram', 'facebook', 'twitter', 'linkedin']) AS kind
WHERE website IS NOT NULL AND status <> 'pending_scan'
  AND (id + length(kind)) % 3 <> 0;

INSERT INTO contacts (business_id, type, value, source, is_primary)
SELECT id, 'contact_form', website || '/contact', 'scanned_website', true
FROM businesses WHERE website IS NOT NULL AND status <> 'pending_scan' AND id % 2 = 1;

INSERT INTO campaigns (name, message_template, status, created_at) VALUES
('Spring open studios',
 E'Hello {{business.name}} team,\n\nWe are putting together a guide to independent '
 'businesses in your area and would love to include you.\n\nBest wishes,\n{{sender.name}}',
 'sending', now() - interval '3 days'),
('Autumn newsletter',
 E'Hi {{business.name|there}},\n\nA short note to say our autumn newsletter is out.',
 'draft', now() - interval '1 day');

-- Messages of the running campaign, in every status.
INSERT INTO messages (campaign_id, business_id, contact_id, platform,
                      personalized_content, status, sent_at, opened_at, replied_at)
SELECT cam.id, b.id, c.id, c.type,
       replace(replace(cam.message_template, '{{business.name}}', b.name),
               '{{sender.name}}', 'The Outreach Demo Agency'),
       st.status,
       CASE WHEN st.status <> 'pending' THEN now() - interval '2 days' END,
       CASE WHEN st.status IN ('opened', 'replied') THEN now() - interval '1 day' END,
       CASE WHEN st.status = 'replied' THEN now() - interval '5 hours' END
FROM businesses b
JOIN contacts c ON c.business_id = b.id AND c.is_primary
    AND c.type IN ('email', 'instagram', 'facebook', 'twitter', 'linkedin')
CROSS JOIN campaigns cam
CROSS JOIN LATERAL (SELECT (ARRAY['pending', 'sent', 'sent', 'opened',
                                  'replied', 'failed'])[(b.id + c.id) % 6 + 1]
                    AS status) st
WHERE cam.name = 'Spring open studios' AND b.status = 'active';

-- Failed messages: when and why, as the sender and the social queue record
-- it (the Messages screen groups the latest errors by reason).
UPDATE messages SET sent_at = NULL, attempts = 1,
    failed_at = now() - interval '2 days' + (id % 7) * interval '1 hour',
    last_error = CASE platform
        WHEN 'email' THEN (ARRAY[
            'rejected: 550 5.1.1 Recipient address rejected: User unknown',
            'rejected: 552 5.2.2 Mailbox full',
            'delivery unknown: connection lost during send: Connection reset by peer'])[id % 3 + 1]
        ELSE (ARRAY[
            'profile no longer exists',
            'only accepts messages from accounts it follows',
            'account is private'])[id % 3 + 1]
    END
WHERE status = 'failed';

-- What happened to each message, as the sender, the social queue and the
-- marks write it: a send worker for e-mail, the demo user for the rest.
UPDATE messages SET attempts = 1 WHERE status <> 'pending';
INSERT INTO message_events (message_id, at, event, detail, actor)
SELECT id, t.at, t.event, t.detail,
       CASE WHEN platform = 'email' AND t.event IN ('sent', 'failed')
            THEN 'outreach-send demo-host:4242/1' ELSE 'demo' END
FROM messages
CROSS JOIN LATERAL (VALUES
    (0, coalesce(sent_at, failed_at),
     CASE WHEN status = 'failed' THEN 'failed' ELSE 'sent' END, last_error),
    (1, opened_at, 'opened', NULL),
    (2, replied_at, 'replied', NULL)) AS t(step, at, event, detail)
WHERE status <> 'pending' AND t.at IS NOT NULL
ORDER BY messages.id, t.step;

-- Subjects for the e-mails (the column arrives with the campaigns migration).
UPDATE campaigns SET subject_template = 'A guide to independent businesses: {{business.name}}'
WHERE name = 'Spring open studios';
UPDATE campaigns SET subject_template = 'Our autumn newsletter'
WHERE name = 'Autumn newsletter';
UPDATE messages m SET subject = 'A guide to independent businesses: ' || b.name
FROM businesses b
WHERE b.id = m.business_id AND m.platform = 'email';
-- The Message-ID each e-mail that went out was sent with (replies match it).
UPDATE messages SET message_id_header = md5('demo' || id) || '@outreach-demo.example'
WHERE platform = 'email' AND sent_at IS NOT NULL;
