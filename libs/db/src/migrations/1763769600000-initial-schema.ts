import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE suppliers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      api_key_hash text NOT NULL UNIQUE,
      enabled boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE buyers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE,
      display_name text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE channels (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      buyer_id uuid NOT NULL REFERENCES buyers(id),
      config jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE trees (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      config jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE campaigns (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      key text NOT NULL UNIQUE,
      config jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE leads (
      id uuid PRIMARY KEY,
      campaign_id uuid NOT NULL REFERENCES campaigns(id),
      supplier_id uuid NOT NULL REFERENCES suppliers(id),
      supplier_lead_id text,
      state text NOT NULL,
      received_at timestamptz NOT NULL,
      deadline_at timestamptz NOT NULL,
      ping_lead jsonb NOT NULL,
      contact jsonb NOT NULL,
      consent jsonb NOT NULL,
      decision jsonb,
      trace_id text,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX leads_supplier_lead ON leads (supplier_id, supplier_lead_id)`);
    await q.query(`CREATE INDEX leads_open ON leads (deadline_at) WHERE state IN ('received','pinging','posting')`);
    await q.query(`CREATE TABLE dedupe_keys (
      campaign_id uuid NOT NULL,
      key_hash char(64) NOT NULL,
      lead_id uuid NOT NULL,
      claimed_at timestamptz NOT NULL,
      PRIMARY KEY (campaign_id, key_hash))`);
    await q.query(`CREATE TABLE post_attempts (
      id bigserial PRIMARY KEY,
      lead_id uuid NOT NULL REFERENCES leads(id),
      channel_id uuid NOT NULL REFERENCES channels(id),
      tier_index int NOT NULL,
      state text NOT NULL,
      price numeric(12,2) NOT NULL,
      buyer_ref text,
      reason text,
      redirect_url text,
      http_status int,
      attempted_at timestamptz NOT NULL,
      answered_at timestamptz,
      UNIQUE (lead_id, channel_id))`);
    await q.query(`CREATE TABLE lead_events (
      id text PRIMARY KEY,
      lead_id uuid NOT NULL,
      type text NOT NULL,
      service text NOT NULL,
      at timestamptz NOT NULL,
      tier_index int,
      channel_id uuid,
      data jsonb NOT NULL)`);
    await q.query(`CREATE INDEX lead_events_lead_at ON lead_events (lead_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'lead_events',
      'post_attempts',
      'dedupe_keys',
      'leads',
      'campaigns',
      'trees',
      'channels',
      'buyers',
      'suppliers',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
