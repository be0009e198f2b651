/**
 * The statements of audit's trail repair. Each inserts, under the original event's id, the events a
 * killed service could not publish, read back from the system of record; ON CONFLICT keeps a late
 * original (or another replica's repair) from making a second copy. Each reads only a window of
 * rows that an index bounds, so a sweep's cost follows the lead rate, not the tables' size.
 */

/** $1 settled-until (timestamptz): leads received in ($2, $1]. */
export const REPAIR_RECEIVED = `
  INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
  SELECT l.id || ':received', l.id, 'received', 'audit', l.received_at, NULL, NULL,
         jsonb_build_object('campaign', c.key, 'supplierId', l.supplier_id,
           'tmaxMs', round(extract(epoch from l.deadline_at - l.received_at) * 1000)::int,
           'lead', l.ping_lead, 'repaired', true)
  FROM leads l JOIN campaigns c ON c.id = l.campaign_id
  WHERE l.received_at > $2 AND l.received_at <= $1
    AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = l.id || ':received')
  ON CONFLICT (id) DO NOTHING RETURNING id`;

const FINISHED_EVENT = `l.id || ':finished', l.id, 'finished', 'audit', l.updated_at, NULL::int, NULL::uuid,
         coalesce(l.decision, jsonb_build_object('state', l.state)) || '{"repaired": true}'::jsonb`;
const DECIDED_BY = `l.state = ANY($2::text[]) AND l.updated_at <= $1
    AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = l.id || ':finished')`;

/**
 * $1 settled-until, $2 terminal states: leads received in ($3, $1], and the leads listed in $4 (ones
 * that outlived that window open), decided by $1 without a `finished` event.
 */
export const REPAIR_FINISHED = `
  INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
  SELECT ${FINISHED_EVENT} FROM leads l WHERE l.received_at > $3 AND l.received_at <= $1 AND ${DECIDED_BY}
  UNION
  SELECT ${FINISHED_EVENT} FROM leads l WHERE l.id = ANY($4::uuid[]) AND ${DECIDED_BY}
  ON CONFLICT (id) DO NOTHING RETURNING id`;

/** $1 received-before: leads still open that were received before $1 (open_leads is small). */
export const LONG_OPEN_LEADS = `
  SELECT o.lead_id AS id FROM open_leads o JOIN leads l ON l.id = o.lead_id WHERE l.received_at <= $1`;

/** $1 settled-until, $2 terminal states, $3 ids: those not yet decided by $1 (still to watch). */
export const STILL_UNDECIDED = `
  SELECT l.id FROM leads l WHERE l.id = ANY($3::uuid[]) AND NOT (l.state = ANY($2::text[]) AND l.updated_at <= $1)`;

/** $1 settled-until: attempts made in ($2, $1] without `post_attempted`. */
export const REPAIR_POST_ATTEMPTED = `
  INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
  SELECT a.lead_id || ':post_attempted:' || a.channel_id, a.lead_id, 'post_attempted', 'audit', a.attempted_at,
         a.tier_index, a.channel_id, jsonb_build_object('price', a.price, 'repaired', true)
  FROM post_attempts a
  WHERE a.attempted_at > $2 AND a.attempted_at <= $1
    AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = a.lead_id || ':post_attempted:' || a.channel_id)
  ON CONFLICT (id) DO NOTHING RETURNING id`;

/**
 * $1 settled-until: attempts made in ($2, $1] whose answer is stored without `posted`. The buyer's
 * answer (a pending one too) comes within the post's timeout of the attempt, so the caller widens
 * the window by that much.
 */
export const REPAIR_POSTED = `
  INSERT INTO lead_events (id, lead_id, type, service, at, tier_index, channel_id, data)
  SELECT a.lead_id || ':posted:' || a.channel_id, a.lead_id, 'posted', 'audit', coalesce(a.answered_at, a.attempted_at),
         a.tier_index, a.channel_id,
         jsonb_build_object('outcome', a.state, 'price', a.price, 'reason', a.reason, 'repaired', true)
  FROM post_attempts a
  WHERE a.attempted_at > $2 AND a.attempted_at <= $1 AND a.state <> 'attempted'
    AND coalesce(a.answered_at, a.attempted_at) <= $1
    AND NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.id = a.lead_id || ':posted:' || a.channel_id)
  ON CONFLICT (id) DO NOTHING RETURNING id`;
