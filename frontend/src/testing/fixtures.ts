import type { BackupView, ImportReport, JobView, TenantSummary, UserView } from '@rythm/api-types';

export const ACME: TenantSummary = { id: 'tenant-acme', name: 'Acme Gym', slug: 'acme', users: 12, sessions: 340, sets: 5100 };
export const GLOBEX: TenantSummary = { id: 'tenant-globex', name: 'Globex Fitness', slug: 'globex', users: 5, sessions: 80, sets: 900 };

export function user(role: UserView['role'], overrides: Partial<UserView> = {}): UserView {
  const isSystem = role === 'system_admin';
  return {
    id: `user-${role}`,
    email: isSystem ? 'root@rythm.test' : 'admin@acme.test',
    firstName: 'Ada',
    lastName: 'Admin',
    role,
    tenantId: isSystem ? null : ACME.id,
    tenantSlug: isSystem ? null : ACME.slug,
    ...overrides,
  };
}

export function job(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 'job-1',
    type: 'export',
    status: 'queued',
    tenantId: ACME.id,
    createdBy: 'user-org_admin',
    params: {},
    progress: null,
    result: null,
    error: null,
    createdAt: '2026-03-01T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

export function report(overrides: Partial<ImportReport> = {}): ImportReport {
  return {
    jobId: 'job-dry',
    status: 'succeeded',
    dryRun: true,
    strategy: 'merge',
    manifest: null,
    valid: true,
    errors: [],
    moreErrors: 0,
    plan: [
      { table: 'users', insert: 2, update: 1, unchanged: 9, delete: 0, skip: 0 },
      { table: 'sessions', insert: 10, update: 0, unchanged: 330, delete: 0, skip: 0 },
    ],
    sampleDiffs: [{ table: 'users', rowId: 'u1', field: 'email', before: 'a@old.test', after: 'a@new.test' }],
    targetTenantId: ACME.id,
    backupId: null,
    applied: false,
    ...overrides,
  };
}

export function backupView(overrides: Partial<BackupView> = {}): BackupView {
  return {
    id: 'backup-1',
    kind: 'manual',
    content: 'bundle',
    jobId: null,
    scope: 'tenant',
    tenantId: ACME.id,
    tenantSlug: ACME.slug,
    fileName: 'rythm-backup-acme.sql.gz',
    sizeBytes: 2048,
    sha256: 'abc',
    rowCounts: { users: 12 },
    schemaVersion: 'InitialSchema1764300000000',
    createdBy: 'user-system_admin',
    note: null,
    createdAt: '2026-03-02T09:30:00.000Z',
    ...overrides,
  };
}

/** Resolves when `condition` holds (for work that finishes outside Angular, like FileReader). */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
