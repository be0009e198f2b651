import type { Page } from 'playwright-core';
import { request } from 'undici';
import { ADMIN_KEY, demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { DEMO_BUYERS, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { DEMO_SUPPLIER_KEY, seedDemo } from '../../../tools/demo/seed-demo';
import { leaveInReconciliation } from '../../gateway/test/reconciliation-fixture';
import { ensureChromium, ensureConsoleBuilt, launchBrowser, screenshotPath, type Browser } from './browser';

const PREMIUM = ['quota-auction main', 'picky-lender main', 'bidwise-auto main'];
const SWEEPER = 'sweeper fixed $2';
const OPERATOR = 'ops-tester';

/**
 * The console in a real browser (Debian's Chromium driven by playwright-core) against the real
 * stack with the demo configuration and simulated buyers: what a new operator does on day one.
 * Each page's screenshot is kept in test-artifacts/console/.
 */
describe('operators console (browser)', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let browser: Browser;
  let page: Page;
  let consoleUrl: string;
  let treeId: string;
  const channelIds = new Map<string, string>();
  const firstLeads: Array<{ id: string; phone: string }> = [];

  async function admin(path: string): Promise<any> {
    const res = await request(`${stack.gatewayUrl}${path}`, { headers: { 'x-admin-key': ADMIN_KEY } });
    return res.body.json();
  }

  const shot = (name: string) => page.screenshot({ path: screenshotPath(name), fullPage: true });

  beforeAll(async () => {
    ensureChromium();
    ensureConsoleBuilt();
    sim = await startBuyerSim({ seed: 3, buyers: [...DEMO_BUYERS] });
    stack = await startTestStack();
    await seedDemo(stack.ds, sim.url);
    await stack.reloadConfig();
    for (const c of (await admin('/v1/admin/channels')).items) channelIds.set(c.name, c.id);
    treeId = (await admin('/v1/admin/trees')).items.find((t: any) => t.name === 'demo auto tree').id;
    for (let i = 0; i < 3; i++) {
      const lead = demoLead();
      const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, lead);
      firstLeads.push({ id: body.leadId, phone: lead.contact!.phone! });
    }
    for (const l of firstLeads) await waitForFinishedTrail(stack, l.id);
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10_000);
    consoleUrl = `${stack.gatewayUrl}/console/`;
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await sim?.close();
  }, 30_000);

  it('signs in with the admin key (and refuses a wrong one)', async () => {
    await page.goto(consoleUrl);
    await page.getByLabel('Admin key').fill('not-the-admin-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That admin key was not accepted.').waitFor();
    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByLabel(/Your name/).fill(OPERATOR);
    await shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Leads' }).waitFor();
    await page.locator('table.leads tbody tr').first().waitFor();
    await shot('leads');
  }, 60_000);

  it('finds a demo lead by phone (matched by hash, never shown) and opens its timeline', async () => {
    const target = firstLeads[1]!;
    await page.getByLabel('Phone').fill(target.phone);
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.locator('table.leads tbody tr');
    await rows.filter({ hasText: target.id }).waitFor();
    expect(await rows.count()).toBe(1);
    const digits = target.phone.replace(/\D/g, '');
    expect(await page.locator('table.leads').innerText()).not.toContain(digits.slice(-4));
    await page.getByRole('link', { name: target.id }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.locator('[data-type="finished"]').waitFor();
    expect(await timeline.locator('[data-type="pinged"]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('trace-id').innerText()).toMatch(/^[0-9a-f]{32}$/);
    // Each timed step is drawn as a bar with its milliseconds.
    expect(await timeline.locator('[data-type="pinged"] .bar').count()).toBeGreaterThan(0);
    await timeline.locator('[data-type="pinged"] .step-label').first().click();
    await page.getByTestId('answer-excerpt').waitFor();
    await shot('lead');
  }, 60_000);

  it('edits the tree (errors shown next to the field) and the new version routes the next lead', async () => {
    await page.goto(`${consoleUrl}#/trees/${treeId}`);
    const tier = (i: number) => page.locator(`[data-tier="${i}"]`);
    await tier(2).waitFor();
    // Move the sweeper to the first tier, drop the premium buyers from it, and make it a plain waterfall.
    await tier(2).locator(`li[data-channel="${SWEEPER}"]`).getByLabel('move to tier').selectOption('0');
    for (const name of PREMIUM) await tier(0).locator(`li[data-channel="${name}"] [data-action="remove-channel"]`).click();
    await page.locator('select[name="tiers.0.logic"]').selectOption('waterfall');
    await page.locator('input[name="tiers.0.priceFloor"]').fill('0');
    await page.locator('[data-action="save-tree"]').click();
    // The sweeper's old tier is now empty: the API refuses and the console says so at that tier.
    const fieldError = page.locator('.field-error[data-field="tiers.2.channelIds"]');
    await fieldError.waitFor();
    expect(await fieldError.innerText()).toContain('at least one channel');
    await shot('tree-editor-validation');
    await tier(2).locator('[data-action="remove-tier"]').click();
    await page.locator('[data-action="save-tree"]').click();
    await page.getByText('Saved as version 2.').waitFor();
    await shot('tree-editor');

    const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
    expect(body.state).toBe('sold');
    expect(body.sales.map((s: any) => s.channelId)).toEqual([channelIds.get(SWEEPER)]);
    await waitForFinishedTrail(stack, body.leadId);
    await page.goto(`${consoleUrl}#/lead/${body.leadId}`);
    const posted = page.getByTestId('timeline').locator('[data-type="posted"]');
    await posted.waitFor();
    expect(await posted.innerText()).toContain(SWEEPER);
    expect(await posted.innerText()).toContain('tier 1');
    await shot('lead-routed-by-new-version');
  }, 60_000);

  it('shows the versions with author and diff, and rolls back with one click', async () => {
    await page.goto(`${consoleUrl}#/versions/tree/${treeId}`);
    const v2 = page.locator('[data-version="2"]');
    await v2.waitFor();
    expect(await v2.innerText()).toContain(OPERATOR);
    expect(await v2.locator('table.diff').innerText()).toContain('tiers.0.channelIds');
    await shot('versions');
    await page.locator('[data-version="1"] [data-action="rollback"]').click();
    await page.getByText('Rolled back to version 1: now version 3.').waitFor();
    await page.locator('[data-version="3"]').waitFor();
    expect(await page.locator('[data-version="3"]').innerText()).toContain('rollback to version 1');
    await shot('versions-after-rollback');

    // The next lead goes through the premium auction again.
    const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
    const trail = await waitForFinishedTrail(stack, body.leadId);
    const firstTierPings = trail.filter((e: any) => e.type === 'pinged' && e.tierIndex === 0).map((e: any) => e.channelId);
    expect(firstTierPings.sort()).toEqual(PREMIUM.map((n) => channelIds.get(n)).sort());
  }, 60_000);

  it('shows leads live as they finish', async () => {
    await page.goto(`${consoleUrl}#/live`);
    await page.getByTestId('live-status').getByText('connected').waitFor();
    const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
    const row = page.getByTestId('live-leads').locator('tr', { hasText: body.leadId });
    await row.waitFor();
    expect(await row.innerText()).toContain(body.state);
    await shot('live');
  }, 60_000);

  it('shows buyers and channels with their metrics, and pauses a channel', async () => {
    await page.goto(`${consoleUrl}#/channels`);
    const row = page.locator('tr[data-channel="acme-insurance main"]');
    await row.waitFor();
    await page.getByText('Ping latency p50 / p95').waitFor();
    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByTestId('channel-status').getByText('paused').waitFor();
    await row.getByRole('button', { name: 'Resume' }).waitFor();
    const channel = await admin(`/v1/admin/channels/${channelIds.get('acme-insurance main')}`);
    expect(channel.enabled).toBe(false);
    const versions = await admin(`/v1/admin/channels/${channelIds.get('acme-insurance main')}/versions`);
    expect(versions.items[0]).toMatchObject({ author: OPERATOR, diff: [{ path: 'enabled', before: true, after: false }] });
    await shot('channels');
  }, 60_000);

  it('reconciles a lead whose post answer never arrived: the buyer bought it', async () => {
    let sold: { leadId: string; state: string } | null = null;
    for (let i = 0; i < 10 && sold?.state !== 'sold'; i++)
      sold = (await postLead(stack, DEMO_SUPPLIER_KEY, demoLead())).body as any;
    expect(sold!.state).toBe('sold');
    await waitForFinishedTrail(stack, sold!.leadId);
    const channelId = await leaveInReconciliation(stack, sold!.leadId);
    await page.goto(`${consoleUrl}#/lead/${sold!.leadId}`);
    const form = page.getByTestId('reconciliation');
    await form.waitFor();
    expect(await form.locator('select[name="channelId"]').inputValue()).toBe(channelId);
    await form.locator('select[name="outcome"]').selectOption('accepted');
    await form.locator('input[name="reason"]').fill('confirmed with the buyer by phone');
    await shot('lead-reconciliation');
    await form.getByRole('button', { name: 'Record' }).click();
    await page.locator('.state.sold').waitFor();
    expect(await form.count()).toBe(0);
    expect((await admin(`/v1/leads/${sold!.leadId}`)).lead.state).toBe('sold');
  }, 60_000);
});
