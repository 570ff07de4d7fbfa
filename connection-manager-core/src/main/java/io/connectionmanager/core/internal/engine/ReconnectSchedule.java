package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.time.Instant;

import io.connectionmanager.core.runtime.Cancellable;
import io.connectionmanager.core.runtime.ConnectionExecutor;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * When the next attempt happens: the backoff sequence, the attempt counter, and the
 * stability rule (only after {@code reset-after} of continuous CONNECTED do the delays
 * and the counter start again, so a server that accepts and drops at once is not
 * hammered), and the floor a server may set ({@code Retry-After}, close 1012/1013): the
 * next delay is that floor, capped at {@code max-server-delay}, plus the normal jittered
 * delay, so that a fleet told "3 s" does not come back at exactly 3 s. Confined to the
 * connection's executor; counters are readable anywhere.
 */
final class ReconnectSchedule {

	private final BackOff backOff;

	private final ConnectionExecutor executor;

	private final Duration resetAfter;

	private final long maxServerDelayMillis;

	private long floorMillis;

	private boolean immediate;

	private BackOffExecution execution;

	private Cancellable retryTimer = Cancellable.NONE;

	private Cancellable stableTimer = Cancellable.NONE;

	private volatile int attempt;

	private volatile long totalAttempts;

	private volatile Instant nextAttemptAt;

	ReconnectSchedule(BackOff backOff, ConnectionExecutor executor, Duration resetAfter, Duration maxServerDelay) {
		this.backOff = backOff;
		this.executor = executor;
		this.resetAfter = resetAfter;
		this.maxServerDelayMillis = maxServerDelay.toMillis();
	}

	/** Attempts since the connection was last stable. */
	int attempt() {
		return this.attempt;
	}

	long totalAttempts() {
		return this.totalAttempts;
	}

	/** When the next attempt is due while waiting, else {@code null}. */
	Instant nextAttemptAt() {
		return this.nextAttemptAt;
	}

	/** An explicit connect or reconnect: a fresh delay sequence and count. */
	void restart() {
		this.immediate = false;
		this.attempt = 0;
		this.execution = null;
		this.floorMillis = 0;
	}

	/**
	 * The server asked to wait at least {@code floor} before the next attempt
	 * ({@code null} or not positive: no floor). Applies to the next delay only.
	 */
	void serverFloor(Duration floor) {
		if (floor == null || floor.isNegative() || floor.isZero()) {
			this.floorMillis = 0;
		}
		else {
			this.floorMillis = (floor.compareTo(Duration.ofMillis(this.maxServerDelayMillis)) > 0)
					? this.maxServerDelayMillis : floor.toMillis();
		}
	}

	/**
	 * The next attempt goes without delay (the server closed with 1001, going away; or
	 * the round has another endpoint to try); the ones after it back off as usual.
	 */
	void immediately() {
		this.immediate = true;
	}

	/** An attempt begins (state CONNECTING). */
	void attemptStarting() {
		this.attempt++;
		this.totalAttempts++;
	}

	/**
	 * The next delay in milliseconds (with the server's floor, if any), or
	 * {@link BackOffExecution#STOP}.
	 */
	long nextDelayMillis() {
		if (this.immediate) {
			// A server's floor, if any, waits for the end of the round.
			this.immediate = false;
			return 0;
		}
		if (this.execution == null) {
			this.execution = this.backOff.start();
		}
		long delay = this.execution.nextBackOff();
		long floor = this.floorMillis;
		this.floorMillis = 0;
		return (delay == BackOffExecution.STOP) ? delay : floor + delay;
	}

	/** Runs {@code retry} on the executor after {@code delay}. */
	void retryAfter(Duration delay, Runnable retry) {
		this.nextAttemptAt = this.executor.clock().instant().plus(delay);
		this.retryTimer = this.executor.schedule(retry, delay);
	}

	/**
	 * CONNECTED: once it has lasted {@code reset-after}, the connection counts as stable.
	 */
	void connected(Runnable ifStillCurrent) {
		this.stableTimer = this.executor.schedule(ifStillCurrent, this.resetAfter);
	}

	/** Called back by {@link #connected} when the same session is still up. */
	void stable() {
		this.execution = null;
		this.attempt = 0;
	}

	/** The state is left: pending timers stop. */
	void cancelTimers() {
		this.retryTimer.cancel();
		this.stableTimer.cancel();
		this.retryTimer = Cancellable.NONE;
		this.stableTimer = Cancellable.NONE;
		this.nextAttemptAt = null;
	}

}
