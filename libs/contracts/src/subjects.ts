/**
 * Every NATS subject, defined once. Requests: `lead.v1.<service>.<verb>`; events: `lead.v1.evt.<fact>`.
 * Renaming one is a migration: add the v2 subject, serve both, then drop v1.
 * A deployment may prefix all of them with a namespace (see withNamespace) so stacks can share a server.
 */
export const SERVICES = ['gateway', 'filter', 'ping', 'auction', 'post', 'audit'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const SUBJECTS = {
  filterCheck: 'lead.v1.filter.check',
  pingDispatch: 'lead.v1.ping.dispatch',
  auctionSelect: 'lead.v1.auction.select',
  postDeliver: 'lead.v1.post.deliver',
  postCallback: 'lead.v1.post.callback',
  postReconcile: 'lead.v1.post.reconcile',
  auditTrail: 'lead.v1.audit.trail',
  auditReport: 'lead.v1.audit.report',
  leadEvents: 'lead.v1.evt.>',
  configChanged: 'config.v1.changed',
  /** A channel's circuit breaker opened or closed; every ping replica applies it. */
  circuitChanged: 'channel.v1.circuit.changed',
} as const;

export const LEAD_EVENT_SUBJECT_PREFIX = 'lead.v1.evt.';

export function withNamespace(namespace: string, subject: string): string {
  return namespace ? `${namespace}.${subject}` : subject;
}

/** JetStream stream and durable consumer names, also namespaced so test runs don't collide. */
export function leadEventsStreamName(namespace: string): string {
  return namespace ? `LEAD_EVENTS_${namespace.replace(/[^A-Za-z0-9_-]/g, '_')}` : 'LEAD_EVENTS';
}
export const AUDIT_DURABLE = 'audit';
