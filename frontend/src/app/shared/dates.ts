/** Local midnight of a yyyy-mm-dd date (from <input type=date>), as an ISO instant. */
export function startOfDayIso(date: string): string {
  return new Date(`${date}T00:00:00`).toISOString();
}

/** Ranges are [from, to): the day after "to", so that the chosen last day is included. */
export function endOfDayExclusiveIso(date: string): string {
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + 1);
  return d.toISOString();
}
