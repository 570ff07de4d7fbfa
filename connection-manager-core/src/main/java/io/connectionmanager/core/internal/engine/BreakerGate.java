package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.failure.ConnectionFailureException;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.backoff.RandomizedOpenStateWait;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;

/**
 * Each connect attempt is one Resilience4j call: a permit before it, success or error
 * after. While the breaker is open no attempt is made; its half-open permit is the probe.
 * Confined to the connection's executor, except the breaker's own transition callback.
 */
final class BreakerGate {

	private final CircuitBreaker breaker;

	private final ConnectionExecutor executor;

	private boolean permitHeld;

	private long callStartedNanos;

	private volatile long openedNanos;

	private volatile long openWaitMillis;

	/**
	 * @param breaker the connection's breaker, or {@code null} when disabled
	 */
	BreakerGate(CircuitBreaker breaker, ConnectionExecutor executor) {
		this.breaker = breaker;
		this.executor = executor;
		if (breaker != null) {
			breaker.getEventPublisher().onStateTransition((event) -> {
				if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
					// Resilience4j draws the (randomized) wait as it opens, just before
					// this event.
					this.openWaitMillis = drawnWait();
					this.openedNanos = executor.nanoTime();
				}
			});
		}
	}

	CircuitBreaker breaker() {
		return this.breaker;
	}

	String stateName() {
		return (this.breaker != null) ? this.breaker.getState().name() : "DISABLED";
	}

	/** Asks for a permit for the next attempt; always granted without a breaker. */
	boolean tryAcquire() {
		if (this.breaker == null) {
			return true;
		}
		this.permitHeld = this.breaker.tryAcquirePermission();
		return this.permitHeld;
	}

	/**
	 * An explicit request from the application is the operator's "try now": it may probe
	 * an open breaker.
	 */
	void acquireOverridingOpenState() {
		if (this.breaker == null || this.permitHeld) {
			return;
		}
		if (!tryAcquire() && this.breaker.getState() == CircuitBreaker.State.OPEN) {
			this.breaker.transitionToHalfOpenState();
			tryAcquire();
		}
	}

	/** The attempt that holds the permit starts now. */
	void callStarted() {
		this.callStartedNanos = this.executor.nanoTime();
	}

	void succeeded() {
		if (this.permitHeld) {
			this.permitHeld = false;
			this.breaker.onSuccess(elapsedNanos(), TimeUnit.NANOSECONDS);
		}
	}

	void failed(Failure failure) {
		if (this.permitHeld) {
			this.permitHeld = false;
			this.breaker.onError(elapsedNanos(), TimeUnit.NANOSECONDS, new ConnectionFailureException(failure));
		}
	}

	/**
	 * An attempt abandoned by the application is neither a success nor a failure.
	 */
	void abandoned() {
		if (this.permitHeld) {
			this.permitHeld = false;
			this.breaker.releasePermission();
		}
	}

	/**
	 * How long until the open breaker lets a probe through. Resilience4j half-opens
	 * strictly after the wait, hence the extra millisecond; if it still refuses once the
	 * wait is over (forced open, a custom interval function), ask again after a full
	 * wait.
	 */
	Duration untilProbe() {
		long waitMillis = this.openWaitMillis;
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(this.executor.nanoTime() - this.openedNanos);
		long remaining = waitMillis - elapsedMillis + 1;
		return Duration.ofMillis((remaining > 1) ? remaining : waitMillis);
	}

	private long elapsedNanos() {
		return this.executor.nanoTime() - this.callStartedNanos;
	}

	private long drawnWait() {
		IntervalFunction wait = this.breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState();
		return (wait instanceof RandomizedOpenStateWait drawn) ? drawn.lastDrawnMillis() : wait.apply(1);
	}

}
