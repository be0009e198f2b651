import { demoLead, postLead, startTestStack, type TestStack } from '@pingtree/testing';
import { startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { wire, type Wired } from './filter-test-kit';

/** Invalid data is refused at intake, before any buyer sees it, with every failing field in one 422. */
describe('lead validation at intake (real stack)', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let w: Wired;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 12 });
    stack = await startTestStack();
    w = await wire(stack, sim, [{ key: 'any' }]);
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  const fieldsOf = (body: any) => (body.error.fields as Array<{ field: string; message: string }>).map((f) => f.field).sort();

  it('lists contact, geo, date, consent and vertical field errors together', async () => {
    const lead = demoLead();
    sim.clearRequests();
    const { status, body } = await postLead(stack, w.apiKey, {
      ...lead,
      campaign: w.campaignKey,
      contact: { ...lead.contact, phone: '(115) 555-0134', email: 'ada@', dateOfBirth: '2999-02-01' },
      geo: { state: 'TX', zip: '94105' },
      consent: { ...lead.consent, timestamp: '2999-01-01T00:00:00Z' },
      fields: { insured: 'yes', vehicleYear: 1900, creditRating: 'Good' },
    });
    expect(status).toBe(422);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(body)).toEqual([
      'consent.timestamp',
      'contact.dateOfBirth',
      'contact.email',
      'contact.phone',
      'fields.insured',
      'fields.vehicleYear',
      'geo.zip',
    ]);
    expect(body.error.fields).toContainEqual({ field: 'geo.zip', message: 'ZIP code 94105 is not in TX' });
    expect(sim.requests()).toHaveLength(0);
  });

  it('names an unknown campaign alongside the other mistakes', async () => {
    const lead = demoLead();
    const { status, body } = await postLead(stack, w.apiKey, {
      ...lead,
      campaign: 'no-such-campaign',
      geo: { state: 'CA', zip: '10001' },
    });
    expect(status).toBe(422);
    expect(body.error.fields).toEqual(
      expect.arrayContaining([
        { field: 'campaign', message: 'no active campaign "no-such-campaign"' },
        { field: 'geo.zip', message: 'ZIP code 10001 is not in CA' },
      ]),
    );
  });

  it('normalises what it can: state case, ZIP+4, credit rating case', async () => {
    const lead = demoLead();
    const { status, body } = await postLead(stack, w.apiKey, {
      ...lead,
      campaign: w.campaignKey,
      geo: { state: 'ny', zip: '10001-1234' },
      fields: { ...lead.fields, creditRating: ' Good ' },
    });
    expect(status).toBe(200);
    const [row] = (await stack.ds.query(`SELECT ping_lead FROM leads WHERE id = $1`, [body.leadId])) as Array<{ ping_lead: any }>;
    expect(row!.ping_lead).toMatchObject({ state: 'NY', zip: '10001', fields: { creditRating: 'good' } });
  });
});
