export const TEMPLATE_EMPTY = 'rythm_tpl_empty';
export const TEMPLATE_DEMO = 'rythm_tpl_demo';

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
