package io.connectionmanager.cluster;

import java.time.Duration;
import java.util.concurrent.locks.Lock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * The lock registry as the lock thread uses it: take, renew and release a role's lock,
 * and keep track of whether the store answers (one WARN when it stops, one INFO when it
 * is back). Called from the lock thread only (a registry's locks belong to the thread
 * that took them); {@link #isReachable} from any thread.
 */
final class LockStore {

	private static final Log logger = LogFactory.getLog(ExclusiveConnections.class);

	/** What a renewal found. */
	enum Renewal {

		/** Still held by this replica. */
		RENEWED,

		/** The store answered that this replica no longer holds the role. */
		LOST,

		/** The store did not answer. */
		UNREACHABLE

	}

	private final LockRegistry<?> registry;

	private final LeaseTimings timings;

	private volatile long lastAnswer = System.nanoTime() - Long.MAX_VALUE / 4;

	private volatile boolean failing;

	LockStore(LockRegistry<?> registry, LeaseTimings timings) {
		this.registry = registry;
		this.timings = timings;
	}

	/**
	 * Tries to take {@code role} for one lease without waiting: {@code true} if taken,
	 * {@code false} if another replica holds it, {@code null} if the store did not answer
	 * (or the thread was interrupted).
	 */
	Boolean tryLock(String role) {
		boolean acquired;
		try {
			Lock lock = this.registry.obtain(role);
			acquired = (lock instanceof DistributedLock distributed)
					? distributed.tryLock(Duration.ZERO, this.timings.lease()) : lock.tryLock();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (RuntimeException ex) {
			failed(ex);
			return null;
		}
		answered();
		return acquired;
	}

	Renewal renew(String role) {
		try {
			((RenewableLockRegistry<?>) this.registry).renewLock(role, this.timings.lease());
		}
		catch (IllegalStateException ex) {
			answered();
			return Renewal.LOST;
		}
		catch (RuntimeException ex) {
			failed(ex);
			return Renewal.UNREACHABLE;
		}
		answered();
		return Renewal.RENEWED;
	}

	void release(String role) {
		try {
			this.registry.obtain(role).unlock();
		}
		catch (RuntimeException ex) {
			// Expired already, or the store is unreachable: it forgets the role with its
			// TTL.
			logger.debug("Releasing role '" + role + "' failed", ex);
		}
	}

	/** Whether the store answered within the last {@link LeaseTimings#fenceAfter()}. */
	boolean isReachable() {
		return System.nanoTime() - this.lastAnswer <= this.timings.fenceAfter().toNanos();
	}

	/** The store (or the membership kept in it) answered. */
	void answered() {
		this.lastAnswer = System.nanoTime();
		if (this.failing) {
			this.failing = false;
			logger.info("Lock store reachable again");
		}
	}

	/** The store (or the membership kept in it) did not answer. */
	void failed(RuntimeException ex) {
		if (!this.failing) {
			this.failing = true;
			logger.warn("Lock store unreachable; held connections close if it stays so for " + this.timings.fenceAfter()
					+ ": " + ex);
		}
	}

}
