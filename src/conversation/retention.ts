import type { Database } from "../store/database.ts";

/** What one pruning pass removed. */
export type PruneCounts = { inbox: number; outbox: number; sessions: number; simulator: number; staffSessions: number };

/**
 * Deletes what Loa no longer needs after `retentionDays`: handled inbox rows, sent, dead or cancelled outbox rows,
 * sessions that expired that long ago, old simulator mailbox rows, and staff console sessions as soon as they
 * expire. Engagement counts and the audit log are kept: they carry no text and no channel id.
 */
export async function pruneExpiredRows(database: Database, now: Date, retentionDays: number): Promise<PruneCounts> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const db = database.client;
  const inbox = await db.inboxMessage.deleteMany({ where: { status: { in: ["done", "failed"] }, handledAt: { lt: cutoff } } });
  const outbox = await db.outboxMessage.deleteMany({ where: { status: { in: ["sent", "dead", "cancelled"] }, createdAt: { lt: cutoff } } });
  const sessions = await db.session.deleteMany({ where: { expiresAt: { lt: cutoff } } });
  const simulator = await db.simulatorMessage.deleteMany({ where: { createdAt: { lt: cutoff } } });
  const staffSessions = await db.staffSession.deleteMany({ where: { expiresAt: { lte: now } } });
  return { inbox: inbox.count, outbox: outbox.count, sessions: sessions.count, simulator: simulator.count, staffSessions: staffSessions.count };
}
