/**
 * Lead bodies for the benchmark campaign: every lead has its own phone, email and supplier lead id,
 * so neither dedupe nor idempotent intake ever answers from an earlier lead.
 */
export class LeadBodies {
  private n = 0;
  /** Consent captured a moment before the run, the same for every lead (it is evidence, not a clock). */
  private readonly consentAt = new Date().toISOString();
  private readonly areaCode: number;

  constructor(
    private readonly campaign: string,
    private readonly runTag: string,
  ) {
    // A NANP area code per run: [2-9]XX.
    this.areaCode = 200 + (parseInt(runTag.slice(-4), 16) % 800);
  }

  next(): string {
    const n = this.n++;
    // [2-9]XX-XXXX after the area code: 8 million numbers per run.
    const exchange = 200 + (Math.floor(n / 10_000) % 800);
    const line = String(n % 10_000).padStart(4, '0');
    return JSON.stringify({
      campaign: this.campaign,
      supplierLeadId: `${this.runTag}-${n}`,
      source: 'bench',
      contact: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: `lead${n}.${this.runTag}@bench.example.com`,
        phone: `(${this.areaCode}) ${exchange}-${line}`,
        address: '12 Analytical Engine Way',
        dateOfBirth: '1985-04-12',
      },
      geo: { state: 'CA', zip: '94105', city: 'San Francisco' },
      consent: {
        given: true,
        text: 'By clicking Get Quotes I agree to be contacted by the insurers named on this page.',
        timestamp: this.consentAt,
        pageUrl: 'https://quotes.example.com/auto',
      },
      fields: { insured: true, vehicleYear: 2019, vehicleMake: 'Toyota', creditRating: 'good' },
    });
  }
}
