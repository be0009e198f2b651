import { Agent, request } from 'undici';

/** Every HTTP answer the load got, or the connection error in its place. */
export interface LeadAnswer {
  seq: number;
  /** The fault under way when the lead was sent. */
  phase: string;
  /** The fault under way when the answer (or the error) came. */
  answeredPhase: string;
  sentAt: number;
  ms: number;
  status: number | null;
  error: string | null;
  leadId: string | null;
  state: string | null;
  reason: string | null;
}

export interface LoadOptions {
  gatewayUrl: string;
  apiKey: string;
  campaign: string;
  leadsPerSecond: number;
  /** Leads in flight at most; a tick with no room is counted, not queued. */
  maxInFlight: number;
  /** Which fault is under way, stamped on each answer. */
  phase: () => string;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** A steady, bounded stream of leads to the gateway, recording each answer. */
export class LeadLoad {
  readonly answers: LeadAnswer[] = [];
  /** Ticks skipped because maxInFlight leads were still waiting. */
  skipped = 0;
  private inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  private readonly agent: Agent;
  private readonly run = Date.now().toString(36);

  constructor(private readonly opts: LoadOptions) {
    this.agent = new Agent({
      connections: opts.maxInFlight,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
  }

  start(): void {
    const everyMs = 1000 / this.opts.leadsPerSecond;
    const startedAt = Date.now();
    let sent = 0;
    // Catch up on missed ticks so the rate holds even when the event loop is busy.
    this.timer = setInterval(() => {
      const due = Math.floor((Date.now() - startedAt) / everyMs) - sent;
      for (let i = 0; i < due; i++) {
        sent++;
        if (this.inFlight.size >= this.opts.maxInFlight) {
          this.skipped++;
          continue;
        }
        const done: Promise<void> = this.sendOne().finally(() => this.inFlight.delete(done));
        this.inFlight.add(done);
      }
    }, 10);
  }

  /** Stops sending and waits for the answers still due. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.agent.close();
  }

  get leadsInFlight(): number {
    return this.inFlight.size;
  }

  /** When the first lead sent since `since` (epoch ms) was answered sold, or null: proof that the platform sells again. */
  firstSaleSince(since: number): number | null {
    let first: number | null = null;
    for (const a of this.answers) {
      if (a.sentAt >= since && a.state === 'sold' && (first === null || a.sentAt + a.ms < first)) first = a.sentAt + a.ms;
    }
    return first;
  }

  private async sendOne(): Promise<void> {
    const seq = ++this.seq;
    const sentAt = Date.now();
    const answer: LeadAnswer = {
      seq,
      phase: this.opts.phase(),
      answeredPhase: '',
      sentAt,
      ms: 0,
      status: null,
      error: null,
      leadId: null,
      state: null,
      reason: null,
    };
    try {
      const res = await request(`${this.opts.gatewayUrl}/v1/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': this.opts.apiKey },
        body: JSON.stringify(this.lead(seq)),
        dispatcher: this.agent,
      });
      answer.status = res.statusCode;
      const text = await res.body.text();
      const body = parseJson(text);
      answer.leadId = typeof body?.['leadId'] === 'string' ? body['leadId'] : null;
      answer.state = typeof body?.['state'] === 'string' ? body['state'] : null;
      answer.reason = typeof body?.['reason'] === 'string' ? body['reason'] : res.statusCode >= 400 ? text.slice(0, 200) : null;
    } catch (error) {
      answer.error = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
    }
    answer.ms = Date.now() - sentAt;
    answer.answeredPhase = this.opts.phase();
    this.answers.push(answer);
  }

  /** A valid lead with contact data unique in this run, so dedupe never turns one into a duplicate. */
  private lead(seq: number): Record<string, unknown> {
    const line = String(seq % 10_000).padStart(4, '0');
    const exchange = String(200 + (Math.floor(seq / 10_000) % 700));
    return {
      campaign: this.opts.campaign,
      supplierLeadId: `faults-${this.run}-${seq}`,
      source: 'faults',
      contact: {
        firstName: 'Grace',
        lastName: 'Hopper',
        email: `grace.${this.run}.${seq}@faults.example.com`,
        phone: `(415) ${exchange}-${line}`,
        address: '1 Compiler Way',
        dateOfBirth: '1980-12-09',
      },
      geo: { state: 'CA', zip: '94105', city: 'San Francisco' },
      consent: {
        given: true,
        text: 'By clicking Get Quotes I agree to be contacted by the insurers named on this page.',
        timestamp: new Date().toISOString(),
        pageUrl: 'https://quotes.example.com/auto',
      },
      fields: { insured: true, vehicleYear: 2019, vehicleMake: 'Toyota', creditRating: 'good' },
    };
  }
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
