package io.connectionmanager.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.connectionmanager.core.ManagedConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One exclusive connection's leadership on this replica: whether it holds the role, when
 * a renewal was last confirmed, and whether it is giving the role up. Decisions are taken
 * under this object's monitor and never include I/O: the lock-store calls are made by
 * {@link ExclusiveConnections} on its lock thread, the connection calls never block.
 * <p>
 * Each grant starts an epoch, so that a delayed connect or a late renewal result from an
 * earlier grant has no effect.
 */
final class Leadership {

	private static final Log logger = LogFactory.getLog(Leadership.class);

	/** What the lock thread must do next for this role. */
	enum Action {

		/** Not held: try to acquire it. */
		TRY,

		/** Held: renew it. */
		RENEW,

		/** Given up (lost, fenced, handed over) and the connection closed: unlock. */
		RELEASE,

		/** Nothing now (waiting for the connection to close, or for the retry time). */
		NONE

	}

	private final ManagedConnection connection;

	private final String role;

	private boolean held;

	private long epoch;

	private long confirmedAt;

	private CompletableFuture<?> releasing;

	private long retryAfter = System.nanoTime();

	Leadership(ManagedConnection connection, String role) {
		this.connection = connection;
		this.role = role;
	}

	String name() {
		return this.connection.name();
	}

	String role() {
		return this.role;
	}

	ManagedConnection connection() {
		return this.connection;
	}

	synchronized Action next(long now) {
		if (this.releasing != null) {
			return this.releasing.isDone() ? Action.RELEASE : Action.NONE;
		}
		if (this.held) {
			return Action.RENEW;
		}
		return (now - this.retryAfter >= 0) ? Action.TRY : Action.NONE;
	}

	/** The lock was acquired by a request sent at {@code sentAt}; returns the epoch. */
	synchronized long granted(long sentAt) {
		this.held = true;
		this.confirmedAt = sentAt;
		return ++this.epoch;
	}

	synchronized long epoch() {
		return this.epoch;
	}

	/** A renewal sent at {@code sentAt} was confirmed. */
	synchronized void renewed(long sentAt, long epoch) {
		if (this.held && this.releasing == null && epoch == this.epoch) {
			this.confirmedAt = Math.max(this.confirmedAt, sentAt);
		}
	}

	/** Whether the role is held (granted and not being given up). */
	synchronized boolean isLeader() {
		return this.held && this.releasing == null;
	}

	/** Connects after the takeover delay, if this grant still stands. */
	void connectIfStillHeld(long epoch) {
		synchronized (this) {
			if (!this.held || this.releasing != null || epoch != this.epoch) {
				return;
			}
		}
		if (!this.connection.isClosed()) {
			logger.info("Connection '" + name() + "': this replica holds role '" + this.role + "'; connecting");
			this.connection.connect();
		}
	}

	/**
	 * Gives the role up: the connection is closed by {@code close}; the lock is released
	 * once that completes, and not tried again before {@code retryAfter}.
	 * @return whether this call gave it up (false if not held or already giving it up)
	 */
	boolean giveUp(String why, Supplier<CompletableFuture<?>> close, long retryAfter) {
		return giveUp(why, Reason.LOST, close, retryAfter);
	}

	/** Why a role is given up, which decides how loudly it is logged. */
	enum Reason {

		/** Lost or fenced: a warning. */
		LOST,

		/** Handed over (on request, or balancing): information. */
		HANDED_OVER,

		/** The context stops: debug. */
		STOPPING

	}

	boolean giveUp(String why, Reason reason, Supplier<CompletableFuture<?>> close, long retryAfter) {
		synchronized (this) {
			if (!this.held || this.releasing != null) {
				return false;
			}
			this.releasing = new CompletableFuture<>();
			this.retryAfter = retryAfter;
		}
		String message = "Connection '" + name() + "': giving up role '" + this.role + "' (" + why + "); closing";
		switch (reason) {
			case LOST -> logger.warn(message);
			case HANDED_OVER -> logger.info(message);
			case STOPPING -> logger.debug(message);
		}
		CompletableFuture<?> closing;
		try {
			closing = close.get();
		}
		catch (RuntimeException ex) {
			closing = CompletableFuture.completedFuture(null);
		}
		CompletableFuture<?> released = this.releasing;
		closing.whenComplete((done, error) -> released.complete(null));
		return true;
	}

	/** Fences a holder whose last confirmed renewal is older than {@code fenceAfter}. */
	boolean fenceIfLapsed(long now, long fenceAfter) {
		synchronized (this) {
			if (!this.held || this.releasing != null || now - this.confirmedAt <= fenceAfter) {
				return false;
			}
		}
		return giveUp("no renewal confirmed for " + (fenceAfter / 1_000_000) + " ms", this.connection::disconnect, now);
	}

	/**
	 * The lock was released (or its release failed: the store forgets it with its TTL).
	 */
	synchronized void released() {
		this.held = false;
		this.releasing = null;
	}

}
