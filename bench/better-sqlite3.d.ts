// The part of better-sqlite3's API the statistics benchmark loads data with. The package ships no types and the
// app reaches it only through Prisma's adapter, so these few lines stand in for @types/better-sqlite3.
declare module "better-sqlite3" {
  namespace Database {
    interface Statement {
      run(parameters: readonly unknown[]): { changes: number };
    }
  }
  class Database {
    constructor(path: string);
    pragma(source: string): unknown;
    prepare(source: string): Database.Statement;
    exec(source: string): this;
    transaction(work: () => void): () => void;
    close(): void;
  }
  export default Database;
}
