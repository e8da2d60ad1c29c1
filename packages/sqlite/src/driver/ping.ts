import type { Database } from 'better-sqlite3';

const SQL = {
  // Reads the schema too, so a database file that is unreadable or not a database fails here.
  ping: 'SELECT count(*) AS tables FROM sqlite_master',
};

/** `ping`: one statement on the connection; throws when the database cannot be read. */
export function preparePing(db: Database): () => void {
  const ping = db.prepare(SQL.ping);
  return () => {
    ping.get();
  };
}
