import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { AuditEntry, AuditVerifyResult } from '@rythm/api-types';
import { signInAs } from '../../testing/auth';
import { ACME, user } from '../../testing/fixtures';
import { provideConsoleTesting } from '../../testing/providers';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatSelectHarness } from '@angular/material/select/testing';
import { AuditPage } from './audit.page';
import { outcomeText, paramPairs } from './audit-text';

const entry: AuditEntry = {
  id: 'a-1',
  actorId: 'u-1',
  actorEmail: 'root@rythm.test',
  role: 'system_admin',
  tenantId: ACME.id,
  action: 'export.start',
  params: { format: 'json' },
  outcome: 'success',
  clientIp: '::ffff:10.0.0.1',
  userAgent: 'test',
  createdAt: '2026-03-01T09:00:00.000Z',
};

describe('AuditPage', () => {
  let fixture: ComponentFixture<AuditPage>;
  let http: HttpTestingController;

  const el = (testId: string): HTMLElement | null => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`);

  async function render(chain: AuditVerifyResult): Promise<void> {
    TestBed.configureTestingModule({ imports: [AuditPage], providers: provideConsoleTesting() });
    http = TestBed.inject(HttpTestingController);
    signInAs(user('system_admin'));
    fixture = TestBed.createComponent(AuditPage);
    fixture.detectChanges();
    http.expectOne('/api/tenants').flush([ACME]);
    const list = http.expectOne((r) => r.url === '/api/audit');
    expect(list.request.params.toString()).toBe('page=1&pageSize=50');
    list.flush({ items: [entry], total: 1, page: 1, pageSize: 50 });
    http.expectOne('/api/audit/verify').flush(chain);
    await fixture.whenStable();
  }

  afterEach(() => http.verify());

  it('shows a green "chain intact" with the number of entries', async () => {
    await render({ valid: true, checked: 1234, firstBrokenId: null, message: 'ok' });

    const state = el('audit-chain-state');
    expect(state?.getAttribute('data-state')).toBe('intact');
    expect(state?.textContent).toContain('Chain intact (1,234 entries)');
    expect(el('audit-row-a-1')?.textContent).toContain('export.start');
    expect(el('audit-row-a-1')?.textContent).toContain('acme');
    // People's words: the role, and the IPv4 address without its IPv6 prefix.
    expect(el('audit-row-a-1')?.textContent).toContain('System admin');
    expect(el('audit-row-a-1')?.textContent).not.toContain('system_admin');
    expect(el('audit-row-a-1')?.textContent).toContain('10.0.0.1');
    expect(el('audit-row-a-1')?.textContent).not.toContain('::ffff:');
  });

  it('shows a red "broken at entry X" when verification fails', async () => {
    await render({ valid: false, checked: 40, firstBrokenId: 'a-17', message: 'hash mismatch' });

    const state = el('audit-chain-state');
    expect(state?.getAttribute('data-state')).toBe('broken');
    expect(state?.getAttribute('role')).toBe('alert');
    expect(el('audit-chain-broken-id')?.textContent).toBe('a-17');
  });

  it('sends the filters as query parameters and starts again at page 1', async () => {
    await render({ valid: true, checked: 1, firstBrokenId: null, message: 'ok' });
    const input = (testId: string): HTMLInputElement => el(testId)!.querySelector('input') ?? (el(testId) as HTMLInputElement);
    const action = await TestbedHarnessEnvironment.loader(fixture).getHarness(MatSelectHarness.with({ selector: '[data-testid="audit-filter-action"]' }));
    await action.open();
    const options = await action.getOptions();
    expect(await options[1].getText()).toBe('Sign-in');
    expect(options.length).toBeGreaterThan(10);
    await action.clickOptions({ text: 'Sign-in' });
    const actor = input('audit-filter-actor');
    actor.value = 'root@rythm.test';
    actor.dispatchEvent(new Event('input'));

    // The filters are debounced (300 ms) so that typing does not fire a request per key.
    await new Promise((resolve) => setTimeout(resolve, 350));
    TestBed.tick();

    const req = http.expectOne((r) => r.url === '/api/audit');
    expect(req.request.params.get('action')).toBe('auth.login');
    expect(req.request.params.get('actor')).toBe('root@rythm.test');
    expect(req.request.params.get('page')).toBe('1');
    expect(req.request.params.has('outcome')).toBe(false);
    req.flush({ items: [], total: 0, page: 1, pageSize: 50 });
  });

  it('writes parameters as wrapping pairs and an import result as valid or invalid with its errors', () => {
    expect(paramPairs({})).toEqual([]);
    expect(paramPairs({ dryRun: true, strategy: 'merge', none: null, jobId: 'ecb74c14-de14-4b17-845e-28e9e7387b1f' })).toEqual([
      { key: 'dryRun', value: 'yes' },
      { key: 'strategy', value: 'merge' },
      { key: 'jobId', value: 'ecb74c14…' },
    ]);
    const result = { ...entry, action: 'import.result', outcome: 'failure' as const, params: { dryRun: true, valid: false, errors: 3 } };
    expect(outcomeText(result)).toBe('invalid (dry run, 3 errors)');
    expect(outcomeText({ ...result, outcome: 'success', params: { dryRun: false, valid: true, applied: true, errors: 0 } })).toBe('valid (import, applied)');
    expect(outcomeText(entry)).toBe('success');
  });
});
