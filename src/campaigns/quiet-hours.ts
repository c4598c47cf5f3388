/**
 * Quiet hours in Viet Nam's time (UTC+7 all year): nobody gets a campaign message at night. The window may
 * cross midnight (21:00–07:00, the default) or not (12:00–13:30).
 */
const vietnamOffsetMinutes = 7 * 60;

function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(":").map(Number);
  return hours * 60 + minutes;
}

function localMinutes(now: Date): number {
  const utc = now.getUTCHours() * 60 + now.getUTCMinutes();
  return (utc + vietnamOffsetMinutes) % (24 * 60);
}

/** Whether `now` falls inside the quiet window [start, end). */
export function isQuiet(now: Date, start: string, end: string): boolean {
  const at = localMinutes(now);
  const from = minutesOf(start);
  const to = minutesOf(end);
  if (from === to) return false;
  return from < to ? at >= from && at < to : at >= from || at < to;
}

/** The first moment at or after `now` outside the quiet window: `now` itself when it is not quiet. */
export function nextSendableTime(now: Date, start: string, end: string): Date {
  if (!isQuiet(now, start, end)) return now;
  const at = localMinutes(now);
  const to = minutesOf(end);
  const wait = (to - at + 24 * 60) % (24 * 60) || 24 * 60;
  const next = new Date(now.getTime() + wait * 60_000);
  next.setUTCSeconds(0, 0);
  return next;
}
