import type { BackupSchedule } from '@rythm/api-types';

const two = (n: string): string => n.padStart(2, '0');

/** "every day at 03:00" for the common daily cron; otherwise the cron expression itself. */
export function describeCron(cron: string): string {
  const parts = cron.trim().split(/\s+/);
  if (parts.length === 5 && /^\d+$/.test(parts[0]) && /^\d+$/.test(parts[1]) && parts.slice(2).every((p) => p === '*')) {
    return `every day at ${two(parts[1])}:${two(parts[0])} (server time)`;
  }
  return `cron "${cron}"`;
}

export function describeRetention(schedule: BackupSchedule): string {
  const rules: string[] = [];
  if (schedule.retentionCount !== null) rules.push(`the last ${schedule.retentionCount} scheduled backups`);
  if (schedule.retentionDays !== null) rules.push(`${schedule.retentionDays} days`);
  return rules.length ? `kept: ${rules.join(', up to ')}` : 'kept until deleted';
}
