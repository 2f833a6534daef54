import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { AuditEntry, AuditVerifyResult } from '@rythm/api-types';
import { signInAs } from '../../testing/auth';
import { ACME, user } from '../../testing/fixtures';
import { provideConsoleTesting } from '../../testing/providers';
import { AuditPage, compactParams } from './audit.page';

const entry: AuditEntry = {
  id: 'a-1',
  actorId: 'u-1',
  actorEmail: 'root@rythm.test',
  role: 'system_admin',
  tenantId: ACME.id,
  action: 'export.start',
  params: { format: 'json' },
  outcome: 'success',
  clientIp: '10.0.0.1',
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
    const action = input('audit-filter-action');
    action.value = ' auth.login ';
    action.dispatchEvent(new Event('input'));
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

  it('shortens long parameters for the table', () => {
    expect(compactParams({})).toBe('');
    expect(compactParams({ a: 'x'.repeat(200) }).length).toBe(118);
  });
});
