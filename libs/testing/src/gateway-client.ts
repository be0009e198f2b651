import { request } from 'undici';
import type { TestStack } from './test-stack';

/** Posts a lead to the stack's gateway as a partner would. */
export async function postLead(stack: TestStack, apiKey: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await request(`${stack.gatewayUrl}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
}

/** GET /v1/leads/:id as an admin. */
export async function getLead(stack: TestStack, leadId: string): Promise<{ status: number; body: any }> {
  const res = await request(`${stack.gatewayUrl}/v1/leads/${leadId}`, { headers: { 'x-admin-key': stack.env.ADMIN_API_KEY } });
  return { status: res.statusCode, body: await res.body.json() };
}

/**
 * The lead's trail once audit has stored its `finished` event and nothing more has arrived for a
 * moment: services publish their events independently, so they may land in any order.
 */
export async function waitForFinishedTrail(stack: TestStack, leadId: string, timeoutMs = 10_000): Promise<any[]> {
  const until = Date.now() + timeoutMs;
  let previous = -1;
  while (Date.now() < until) {
    const { status, body } = await getLead(stack, leadId);
    const trail = status === 200 && Array.isArray(body.trail) ? body.trail : [];
    const finished = trail.some((e: { type: string }) => e.type === 'finished');
    if (finished && trail.length === previous) return trail;
    previous = finished ? trail.length : -1;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`trail of ${leadId} did not finish within ${timeoutMs} ms`);
}
