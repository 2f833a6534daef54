import type { JobView } from '../shared/api-types.js';
import type { ApiClient } from './api-client.js';
import { type Downloaded, download } from './download.js';

export interface ExportDownloadOptions {
  out?: string;
  cwd: string;
  fallbackName: string;
  /** Waits for the job to end (with whatever progress display the caller has). */
  waitForJob(): Promise<JobView>;
  /** Download progress, reported once the job has ended (before, the job's own progress is the news). */
  onBytes?(done: number, total: number | null): void;
}

/**
 * An export's job and its file. The download follows the job from the start (`?follow=true`: the
 * file streams while the job writes it), so the wait and the download overlap instead of adding
 * up. The file is null when the job did not succeed; a followed download cut by the network (the
 * job itself succeeded) is fetched again whole.
 */
export async function waitAndDownloadExport(
  client: ApiClient,
  jobId: string,
  options: ExportDownloadOptions,
): Promise<{ job: JobView; file: Downloaded | null }> {
  let jobEnded = false;
  const fetchFile = (follow: boolean) =>
    download(client, `/api/exports/${jobId}/download${follow ? '?follow=true' : ''}`, {
      out: options.out,
      cwd: options.cwd,
      fallbackName: options.fallbackName,
      onBytes: (done, total) => jobEnded && options.onBytes?.(done, total),
    });
  const following = fetchFile(true).catch(() => null);
  const job = await options.waitForJob();
  jobEnded = true;
  const followed = await following;
  if (job.status !== 'succeeded') return { job, file: null };
  return { job, file: followed ?? (await fetchFile(false)) };
}
