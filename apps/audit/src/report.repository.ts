import { Injectable } from '@nestjs/common';
import type { ReportQuery, ReportRow } from '@pingtree/contracts';
import { DataSource } from 'typeorm';

/** SQL for each grouping: the key of a fact row (lead_facts `lf`, channel `ch`) and the key's display name. */
const GROUPS: Record<ReportQuery['groupBy'], { key: string; name: string }> = {
  supplier: { key: 'lf.supplier_id', name: '(SELECT name FROM suppliers WHERE id = k.key)' },
  campaign: { key: 'lf.campaign_id', name: '(SELECT key FROM campaigns WHERE id = k.key)' },
  channel: { key: 'f.channel_id', name: "(SELECT config->>'name' FROM channels WHERE id = k.key)" },
  buyer: { key: 'ch.buyer_id', name: '(SELECT display_name FROM buyers WHERE id = k.key)' },
};

/**
 * Revenue and performance per supplier, buyer, channel or campaign, bucketed by hour or day.
 * Built from the system of record (leads, post attempts, returns) and the audit trail (pings).
 */
@Injectable()
export class ReportRepository {
  constructor(private readonly ds: DataSource) {}

  async report(q: ReportQuery): Promise<ReportRow[]> {
    const g = GROUPS[q.groupBy];
    const perLead = q.groupBy === 'supplier' || q.groupBy === 'campaign';
    // Leads per key: a supplier's or campaign's leads, or the leads a buyer's channels were offered.
    const leadCounts = perLead
      ? `SELECT lf.bucket, ${g.key} AS key, count(*)::int AS leads, count(*) FILTER (WHERE lf.state = 'sold')::int AS sold
         FROM lead_facts lf GROUP BY 1, 2`
      : `SELECT t.bucket, t.key, count(DISTINCT t.lead_id)::int AS leads,
                count(DISTINCT t.lead_id) FILTER (WHERE t.bought)::int AS sold
         FROM (SELECT lf.bucket, ${g.key} AS key, f.lead_id, false AS bought FROM ping_facts f
                 JOIN lead_facts lf USING (lead_id) JOIN channels ch ON ch.id = f.channel_id
               UNION ALL
               SELECT lf.bucket, ${g.key}, f.lead_id, f.state = 'accepted' FROM post_facts f
                 JOIN lead_facts lf USING (lead_id) JOIN channels ch ON ch.id = f.channel_id) t
         GROUP BY 1, 2`;
    const rows = (await this.ds.query(
      `WITH lead_facts AS (
         SELECT id AS lead_id, supplier_id, campaign_id, state, date_trunc($3, received_at) AS bucket
         FROM leads WHERE received_at >= $1 AND received_at < $2),
       ping_facts AS (
         SELECT e.lead_id, e.channel_id, e.data->>'outcome' AS outcome,
                (e.data->>'price')::numeric AS price, (e.data->>'ms')::float8 AS ms
         FROM lead_events e JOIN lead_facts USING (lead_id) WHERE e.type = 'pinged'),
       post_facts AS (
         SELECT p.lead_id, p.channel_id, p.state, p.price, coalesce(p.payout, p.price) AS payout
         FROM post_attempts p JOIN lead_facts USING (lead_id)),
       return_facts AS (
         SELECT r.lead_id, r.channel_id, r.amount FROM lead_returns r JOIN lead_facts USING (lead_id)),
       l AS (${leadCounts}),
       p AS (
         SELECT lf.bucket, ${g.key} AS key, count(*)::int AS pings,
                count(*) FILTER (WHERE f.outcome IN ('bid', 'post_only'))::int AS accepts,
                avg(f.price) FILTER (WHERE f.outcome = 'bid')::float8 AS avg_bid,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY f.ms) FILTER (WHERE f.outcome NOT IN ('post_only', 'skipped_no_time', 'circuit_open')) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY f.ms) FILTER (WHERE f.outcome NOT IN ('post_only', 'skipped_no_time', 'circuit_open')) AS p95
         FROM ping_facts f JOIN lead_facts lf USING (lead_id) JOIN channels ch ON ch.id = f.channel_id GROUP BY 1, 2),
       s AS (
         SELECT lf.bucket, ${g.key} AS key, count(*)::int AS posts,
                count(*) FILTER (WHERE f.state = 'accepted')::int AS accepts,
                coalesce(sum(f.price) FILTER (WHERE f.state = 'accepted'), 0)::float8 AS revenue,
                coalesce(sum(f.payout) FILTER (WHERE f.state = 'accepted'), 0)::float8 AS payout
         FROM post_facts f JOIN lead_facts lf USING (lead_id) JOIN channels ch ON ch.id = f.channel_id GROUP BY 1, 2),
       r AS (
         SELECT lf.bucket, ${g.key} AS key, count(*)::int AS returns, sum(f.amount)::float8 AS amount
         FROM return_facts f JOIN lead_facts lf USING (lead_id) JOIN channels ch ON ch.id = f.channel_id GROUP BY 1, 2),
       k AS (SELECT bucket, key FROM l UNION SELECT bucket, key FROM p UNION SELECT bucket, key FROM s)
       SELECT to_char(k.bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS bucket, k.key::text AS key,
              coalesce(${g.name}, k.key::text) AS name,
              coalesce(l.leads, 0) AS leads, coalesce(l.sold, 0) AS sold,
              coalesce(p.pings, 0) AS pings, coalesce(p.accepts, 0) AS ping_accepts, p.avg_bid, p.p50, p.p95,
              coalesce(s.posts, 0) AS posts, coalesce(s.accepts, 0) AS post_accepts,
              coalesce(s.revenue, 0) AS revenue, coalesce(s.payout, 0) AS payout,
              coalesce(r.returns, 0) AS returns, coalesce(r.amount, 0) AS returned
       FROM k LEFT JOIN l USING (bucket, key) LEFT JOIN p USING (bucket, key)
              LEFT JOIN s USING (bucket, key) LEFT JOIN r USING (bucket, key)
       ORDER BY k.bucket, name`,
      [q.from, q.to, q.bucket],
    )) as Array<Record<string, number | string | null>>;
    return rows.map((row) => toReportRow(row));
  }
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : 0);
const money = (n: number) => Math.round(n * 100) / 100;
const ms = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);

function toReportRow(r: Record<string, number | string | null>): ReportRow {
  const n = (k: string) => Number(r[k] ?? 0);
  const revenue = n('revenue') - n('returned');
  const payout = n('payout');
  return {
    bucket: String(r['bucket']),
    key: String(r['key']),
    name: String(r['name']),
    leads: n('leads'),
    sold: n('sold'),
    fillRate: ratio(n('sold'), n('leads')),
    pings: n('pings'),
    pingAccepts: n('ping_accepts'),
    pingAcceptRate: ratio(n('ping_accepts'), n('pings')),
    posts: n('posts'),
    postAccepts: n('post_accepts'),
    postAcceptRate: ratio(n('post_accepts'), n('posts')),
    pingToPostRatio: ratio(n('post_accepts'), n('ping_accepts')),
    averageBid: r['avg_bid'] === null ? null : money(n('avg_bid')),
    revenue: money(revenue),
    payout: money(payout),
    margin: money(revenue - payout),
    returns: n('returns'),
    returnedRevenue: money(n('returned')),
    pingP50Ms: ms(r['p50']),
    pingP95Ms: ms(r['p95']),
  };
}
