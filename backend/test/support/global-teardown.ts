export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __rythmPg?: { stop(): Promise<void> } }).__rythmPg;
  if (server) await server.stop();
}
