package io.connectionmanager.core.internal.engine;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.runtime.ConnectionRuntime;

/**
 * Bounds the connect attempts (TCP, TLS and upgrade) under way at once in one runtime,
 * without blocking anyone: an attempt over the bound waits in line for a permit, so
 * thousands of connections started together queue instead of timing each other out.
 */
final class ConnectPermits {

	private static final Map<Object, ConnectPermits> BY_RUNTIME = new WeakHashMap<>();

	private final int limit;

	private final ArrayDeque<CompletableFuture<Permit>> waiting = new ArrayDeque<>();

	private int inFlight;

	ConnectPermits(int limit) {
		this.limit = limit;
	}

	/** The permits shared by every connection of {@code runtime}. */
	static ConnectPermits of(ConnectionRuntime runtime) {
		synchronized (BY_RUNTIME) {
			return BY_RUNTIME.computeIfAbsent(runtime, (key) -> new ConnectPermits(runtime.maxConnectsInFlight()));
		}
	}

	/** Permits without a bound, for connections that do not share a runtime. */
	static ConnectPermits unbounded() {
		return new ConnectPermits(Integer.MAX_VALUE);
	}

	/**
	 * A permit, now or once one is returned. Cancelling the future before it completes
	 * gives up the place in line; a permit granted to a cancelled waiter is passed on.
	 */
	CompletableFuture<Permit> acquire() {
		synchronized (this) {
			if (this.inFlight < this.limit) {
				this.inFlight++;
				return CompletableFuture.completedFuture(new Permit());
			}
			CompletableFuture<Permit> waiter = new CompletableFuture<>();
			this.waiting.add(waiter);
			return waiter;
		}
	}

	private void release() {
		while (true) {
			CompletableFuture<Permit> next;
			synchronized (this) {
				next = this.waiting.poll();
				if (next == null) {
					this.inFlight--;
					return;
				}
			}
			// Completed outside the lock: the waiter's continuation runs here.
			if (next.complete(new Permit())) {
				return;
			}
		}
	}

	/** Permits in use. */
	synchronized int inFlight() {
		return this.inFlight;
	}

	/** One attempt's right to connect; returned once, however often released. */
	final class Permit {

		private boolean released;

		void release() {
			synchronized (this) {
				if (this.released) {
					return;
				}
				this.released = true;
			}
			ConnectPermits.this.release();
		}

	}

}
