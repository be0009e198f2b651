import { z } from 'zod';
import { SUBJECTS } from '../../subjects';
import { defineEndpoint } from '../endpoint';

export const REPORT_GROUPS = ['supplier', 'buyer', 'channel', 'campaign'] as const;

/** One bucket of one supplier, buyer, channel or campaign. Rates are 0..1, money in the lead's currency. */
export const reportRowSchema = z.strictObject({
  bucket: z.string(),
  key: z.string(),
  name: z.string(),
  leads: z.number(),
  sold: z.number(),
  fillRate: z.number(),
  pings: z.number(),
  pingAccepts: z.number(),
  pingAcceptRate: z.number(),
  posts: z.number(),
  postAccepts: z.number(),
  postAcceptRate: z.number(),
  /** Accepted posts per accepted ping: how often a bid turns into a sale. */
  pingToPostRatio: z.number(),
  averageBid: z.number().nullable(),
  revenue: z.number(),
  payout: z.number(),
  margin: z.number(),
  returns: z.number(),
  returnedRevenue: z.number(),
  pingP50Ms: z.number().nullable(),
  pingP95Ms: z.number().nullable(),
});

export const reportQuerySchema = z.strictObject({
  groupBy: z.enum(REPORT_GROUPS),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  bucket: z.enum(['hour', 'day']).default('day'),
});

export const auditReportV1 = defineEndpoint({
  subject: SUBJECTS.auditReport,
  service: 'audit',
  request: reportQuerySchema,
  reply: z.strictObject({ rows: z.array(reportRowSchema) }),
});

export type ReportRow = z.infer<typeof reportRowSchema>;
export type ReportQuery = z.infer<typeof reportQuerySchema>;
