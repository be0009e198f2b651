import { getLead, type TestStack } from '@pingtree/testing';
import { InterruptedLeadSweeper } from '../src/journey/interrupted-lead.sweeper';

/**
 * Turns a sold lead into one whose gateway died after its post went out: rewound to `posting`, its
 * post `attempted` with no answer, no buyer sale and no `posted` or `finished` event. The interrupted-lead
 * sweeper then settles it as the platform would: needs_reconciliation. Returns the channel posted to.
 */
export async function leaveInReconciliation(stack: TestStack, leadId: string): Promise<string> {
  await stack.ds.query(
    `WITH rewound AS (
       UPDATE leads SET state = 'posting', decision = NULL, lifecycle = jsonb_build_array(lifecycle->0),
         deadline_at = now() - interval '1 minute' WHERE id = $1 RETURNING id, deadline_at
     )
     INSERT INTO open_leads (lead_id, deadline_at) SELECT id, deadline_at FROM rewound`,
    [leadId],
  );
  // An UPDATE through TypeORM answers [rows, count].
  const [[post]] = (await stack.ds.query(
    `UPDATE post_attempts SET state = 'attempted', answered_at = NULL WHERE lead_id = $1 AND state = 'accepted' RETURNING channel_id`,
    [leadId],
  )) as [Array<{ channel_id: string }>, number];
  await stack.ds.query(`DELETE FROM buyer_sales WHERE lead_id = $1`, [leadId]);
  await stack.ds.query(`DELETE FROM lead_events WHERE lead_id = $1 AND type IN ('posted', 'finished')`, [leadId]);
  await stack.services.get('gateway')![0]!.app.get(InterruptedLeadSweeper).sweep(0);
  const state = (await getLead(stack, leadId)).body.lead.state as string;
  if (state !== 'needs_reconciliation') throw new Error(`lead ${leadId} is ${state}, not needs_reconciliation`);
  return post!.channel_id;
}
