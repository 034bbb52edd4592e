/**
 * When a SQLite statement is running, seen from outside the server: a statement that reads a table holds a
 * shared lock on its file until it finishes, and SQLite then refuses anyone else an exclusive lock.
 */
import Database from 'better-sqlite3';

/** A table for slow statements to read from (so they lock the file while they run). */
export function seedFile(file: string): void {
  const db = new Database(file);
  db.exec('CREATE TABLE seed (n INTEGER); INSERT INTO seed VALUES (1)');
  db.close();
}

/** True while another connection's statement reads `file`. */
export function reading(file: string): boolean {
  const db = new Database(file, { timeout: 0 });
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw e;
  } finally {
    db.close();
  }
}

/** Polls until a statement runs on every file: the event a test's next step must come after. */
export async function untilRunning(...files: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!files.every(reading)) {
    if (Date.now() > deadline) throw new Error(`no statement started on ${files.join(', ')} within 10 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
