// Serialises everything that goes through one SQLite connection: plain queries wait for open interactive
// transactions, so a write from elsewhere in the app can never run inside someone else's transaction.
import type {
  ConnectionInfo,
  IsolationLevel,
  Provider,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
  TransactionOptions,
} from "@prisma/driver-adapter-utils";

/** Hands the connection to one holder at a time, in the order they asked. */
class FifoLock {
  #held = false;
  readonly #waiting: Array<() => void> = [];

  /** Resolves with a release function once every earlier caller has released. */
  async acquire(): Promise<() => void> {
    if (this.#held) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#held = true;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#held = false;
    };
  }

  /** Runs `work` while holding the lock. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/** Prisma closes an interactive transaction by sending one of these through the transaction itself. */
const closingStatements = new Set(["COMMIT", "ROLLBACK"]);

/**
 * One interactive transaction, holding the connection's lock until it ends. Its own queries do not take
 * the lock again: they run inside the holder.
 */
class SerialTransaction implements Transaction {
  readonly provider: Provider;
  readonly adapterName: string;
  readonly options: TransactionOptions;
  readonly #inner: Transaction;
  readonly #release: () => void;

  constructor(inner: Transaction, release: () => void) {
    this.#inner = inner;
    this.#release = release;
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.options = inner.options;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.#inner.queryRaw(query);
  }

  /**
   * When Prisma's closing COMMIT or ROLLBACK fails (a deferred foreign key checked at COMMIT, a full disk),
   * Prisma treats the transaction as closed and never calls `commit`/`rollback`: roll back and let go of
   * the connection here, or every later query in the process would wait forever.
   */
  async executeRaw(query: SqlQuery): Promise<number> {
    try {
      return await this.#inner.executeRaw(query);
    } catch (error) {
      if (closingStatements.has(query.sql.trim().toUpperCase())) await this.#abandon();
      throw error;
    }
  }

  async commit(): Promise<void> {
    try {
      await this.#inner.commit();
    } finally {
      this.#release();
    }
  }

  async rollback(): Promise<void> {
    try {
      await this.#inner.rollback();
    } finally {
      this.#release();
    }
  }

  async #abandon(): Promise<void> {
    try {
      await this.#inner.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] });
    } catch {
      // SQLite may already have ended the transaction on its own; the caller still gets the original error.
    }
    await this.rollback();
  }
}

/** The better-sqlite3 connection with plain queries and whole transactions queued on one lock. */
class SerialAdapter implements SqlDriverAdapter {
  readonly provider: Provider;
  readonly adapterName: string;
  readonly getConnectionInfo?: () => ConnectionInfo;
  readonly #inner: SqlDriverAdapter;
  readonly #lock = new FifoLock();

  constructor(inner: SqlDriverAdapter) {
    this.#inner = inner;
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    if (inner.getConnectionInfo) this.getConnectionInfo = inner.getConnectionInfo.bind(inner);
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.#lock.run(() => this.#inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.#lock.run(() => this.#inner.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.#lock.run(() => this.#inner.executeScript(script));
  }

  /**
   * Waits for the lock and keeps it until the transaction's `commit` or `rollback`. A plain query issued
   * from inside the transaction's callback (with the client instead of `tx`) therefore waits until the
   * transaction times out: use `tx` inside transactions.
   */
  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const release = await this.#lock.acquire();
    try {
      return new SerialTransaction(await this.#inner.startTransaction(isolationLevel), release);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Closes the connection after the queries and transactions already queued. */
  dispose(): Promise<void> {
    return this.#lock.run(() => this.#inner.dispose());
  }
}

/**
 * Wraps the `PrismaBetterSQLite3` factory so each connection it opens is serialised.
 *
 * Why: the adapter has one connection and its mutex only orders transactions against each other, so a
 * plain `create` issued while an interactive `$transaction` is open runs inside that transaction and is
 * lost if it rolls back (see docs/stack-notes "Data-loss trap").
 */
export class SqliteSerialAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider: Provider;
  readonly adapterName: string;
  readonly #inner: SqlDriverAdapterFactory;

  constructor(inner: SqlDriverAdapterFactory) {
    this.#inner = inner;
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return new SerialAdapter(await this.#inner.connect());
  }
}
