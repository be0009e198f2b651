import { z } from 'zod';
import { SUBJECTS } from '../../subjects';
import { defineEndpoint } from '../endpoint';
import { leadEventSchema } from '../../events/lead-event.schema';

export const auditTrailV1 = defineEndpoint({
  subject: SUBJECTS.auditTrail,
  service: 'audit',
  request: z.strictObject({ leadId: z.uuid() }),
  reply: z.strictObject({ events: z.array(leadEventSchema) }),
});
