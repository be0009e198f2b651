/**
 * Audit's trail repair in one statement. It inserts, under the original events' ids, the events a
 * killed service could not publish, read back from the system of record; ON CONFLICT keeps a late
 * original (or another replica's repair) from making a second copy.
 *
 * It reads the leads received since the last sweep (the `received_at` index) and the leads watched
 * by id (the primary key): those a sweep found undecided before. Nothing else is read, so a sweep's
 * cost follows the lead rate, not the tables' size. One pass over those leads serves every event
 * type. A decided lead's posts are all answered, or stay `attempted` for reconciliation, so its post
 * events are checked with it.
 *
 * $1 settled-until (timestamptz): decided by then counts as decided; $2 from and $5 to: the window
 * of receipt (from, to], with to ≤ until; $3 the watched lead ids; $4 the terminal states. Returns
 * how many events it repaired and the leads still undecided.
 */
export const REPAIR_TRAILS = `
  WITH swept AS MATERIALIZED (
    SELECT l.id,
           (l.received_at > $2 AND l.received_at <= $5) AS in_window,
           (l.state = ANY($4::text[]) AND l.updated_at <= $1) AS decided
    FROM leads l
    WHERE (l.received_at > $2 AND l.received_at <= $5) OR l.id = ANY($3::uuid[])
  ),
  received AS (
    INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
    SELECT l.id || ':received', l.id, 'received', 'audit', l.received_at, NULL, NULL,
           jsonb_build_object('campaign', c.key, 'supplierId', l.supplier_id,
             'tmaxMs', round(extract(epoch from l.deadline_at - l.received_at) * 1000)::int,
             'lead', l.ping_lead, 'repaired', true)
    FROM swept s JOIN leads l ON l.id = s.id JOIN campaigns c ON c.id = l.campaign_id
    WHERE s.in_window AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = s.id || ':received')
    ON CONFLICT (id) DO NOTHING RETURNING 1
  ),
  finished AS (
    INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
    SELECT l.id || ':finished', l.id, 'finished', 'audit', l.updated_at, NULL, NULL,
           coalesce(l.decision, jsonb_build_object('state', l.state)) || '{"repaired": true}'::jsonb
    FROM swept s JOIN leads l ON l.id = s.id
    WHERE s.decided AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = s.id || ':finished')
    ON CONFLICT (id) DO NOTHING RETURNING 1
  ),
  posts AS MATERIALIZED (
    SELECT a.* FROM swept s JOIN post_attempts a ON a.lead_id = s.id WHERE s.decided
  ),
  attempted AS (
    INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
    SELECT a.lead_id || ':post_attempted:' || a.channel_id, a.lead_id, 'post_attempted', 'audit', a.attempted_at,
           a.tier_index, a.channel_id, jsonb_build_object('price', a.price, 'repaired', true)
    FROM posts a
    WHERE NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = a.lead_id || ':post_attempted:' || a.channel_id)
    ON CONFLICT (id) DO NOTHING RETURNING 1
  ),
  posted AS (
    INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
    SELECT a.lead_id || ':posted:' || a.channel_id, a.lead_id, 'posted', 'audit', coalesce(a.answered_at, a.attempted_at),
           a.tier_index, a.channel_id,
           jsonb_build_object('outcome', a.state, 'price', a.price, 'reason', a.reason, 'repaired', true)
    FROM posts a
    WHERE a.state <> 'attempted'
      AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = a.lead_id || ':posted:' || a.channel_id)
    ON CONFLICT (id) DO NOTHING RETURNING 1
  )
  SELECT ((SELECT count(*) FROM received) + (SELECT count(*) FROM finished)
          + (SELECT count(*) FROM attempted) + (SELECT count(*) FROM posted))::int AS repaired,
         ARRAY(SELECT id FROM swept WHERE NOT decided)::text[] AS undecided`;
