import type { LeadInput } from '@pingtree/contracts';
import type { z } from 'zod';
import type { leadInputSchema } from '@pingtree/contracts';

let counter = 0;

/** A valid auto-insurance lead with unique contact data (so dedupe doesn't catch it), with overrides. */
export function demoLead(overrides: Partial<z.input<typeof leadInputSchema>> = {}): z.input<typeof leadInputSchema> {
  counter++;
  const n = String(Date.now() % 1_000_000).padStart(6, '0') + String(counter).padStart(1, '0');
  const line = String(1000 + ((Number(n) + counter) % 9000));
  const exchange = String(200 + (counter % 700));
  return {
    campaign: 'demo-auto',
    supplierLeadId: `sup-${n}-${counter}`,
    source: 'google',
    subId: 'spring-sale',
    contact: {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: `ada.${n}.${counter}@example.com`,
      phone: `(415) ${exchange}-${line}`,
      address: '12 Analytical Engine Way',
      dateOfBirth: '1985-04-12',
    },
    geo: { state: 'CA', zip: '94105', city: 'San Francisco' },
    consent: {
      given: true,
      text: 'By clicking Get Quotes I agree to be contacted by Acme Insurance and its partners...',
      timestamp: new Date().toISOString(),
      pageUrl: 'https://quotes.example.com/auto',
      trustedFormCertUrl: 'https://cert.trustedform.com/0123456789abcdef',
    },
    fields: { insured: true, vehicleYear: 2019, vehicleMake: 'Toyota', creditRating: 'good' },
    ...overrides,
  };
}

export type DemoLeadInput = LeadInput;
