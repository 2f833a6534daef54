export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __rythmPg?: { stop(): Promise<void> } }).__rythmPg;
  if (server) await server.stop();
  const s3 = (globalThis as { __rythmS3?: { close(): Promise<void> } }).__rythmS3;
  if (s3) await s3.close();
}
