/** A supertest parser that keeps a binary body (a bundle, a backup) as one Buffer. */
export function binary(response: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}
