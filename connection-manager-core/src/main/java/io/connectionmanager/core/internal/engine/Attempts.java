package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.connectionmanager.core.runtime.Cancellable;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.Transport;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;

/**
 * One connect attempt at a time: waits for a connect permit, opens the transport, times
 * the step under way, and tags every transport callback with the attempt's number so that
 * whatever arrives from an abandoned attempt is recognised and dropped. Confined to the
 * connection's executor.
 */
final class Attempts {

	private final ConnectionEngine engine;

	private final ConnectionExecutor executor;

	private final Transport transport;

	private final ConnectPermits permits;

	private final Duration connectTimeout;

	private long current;

	private long lastNumbered;

	private CompletableFuture<?> pending;

	private ConnectPermits.Permit permit;

	private Cancellable timer = Cancellable.NONE;

	Attempts(ConnectionEngine engine, ConnectionExecutor executor, Transport transport, ConnectPermits permits,
			Duration connectTimeout) {
		this.engine = engine;
		this.executor = executor;
		this.transport = transport;
		this.permits = permits;
		this.connectTimeout = connectTimeout;
	}

	/** The number of the latest attempt. */
	long current() {
		return this.current;
	}

	/**
	 * Starts a new attempt: once a connect permit is free, the request is made (the
	 * handler's hook may take its time), then the transport opens; the connect timeout
	 * runs from the permit, so it covers both.
	 */
	void start(Supplier<CompletableFuture<ConnectRequest>> request) {
		long attempt = reserve();
		this.current = attempt;
		CompletableFuture<ConnectPermits.Permit> waiting = this.permits.acquire();
		this.pending = waiting;
		waiting
			.whenComplete((granted, error) -> this.executor.runOrExecute(() -> permitted(attempt, granted, request)));
	}

	private void permitted(long attempt, ConnectPermits.Permit granted,
			Supplier<CompletableFuture<ConnectRequest>> request) {
		if (granted == null) {
			return;
		}
		if (attempt != this.current || this.pending == null) {
			granted.release();
			return;
		}
		this.permit = granted;
		this.timer = this.executor.schedule(() -> this.engine.signals().connectTimedOut(attempt), this.connectTimeout);
		CompletableFuture<ConnectRequest> requesting;
		try {
			requesting = request.get();
		}
		catch (RuntimeException ex) {
			requesting = CompletableFuture.failedFuture(ex);
		}
		this.pending = requesting;
		CompletableFuture<ConnectRequest> made = requesting;
		requesting.whenComplete((planned, error) -> this.executor.runOrExecute(() -> {
			if (attempt != this.current || this.pending != made) {
				return;
			}
			if (error != null) {
				this.pending = null;
				releasePermit();
				this.engine.signals().connectRequestFailed(attempt, error);
			}
			else {
				open(attempt, planned);
			}
		}));
	}

	private void open(long attempt, ConnectRequest request) {
		CompletableFuture<TransportSession> opening;
		try {
			opening = this.transport.open(request, new Listener(attempt));
		}
		catch (RuntimeException ex) {
			opening = CompletableFuture.failedFuture(ex);
		}
		this.pending = opening;
		opening.whenComplete((opened, error) -> this.executor.runOrExecute(() -> {
			if (attempt == this.current) {
				this.pending = null;
				releasePermit();
			}
			this.engine.signals().openCompleted(attempt, opened, error);
		}));
	}

	/**
	 * A number for an attempt beside the current one (a rotation's standby), so that its
	 * callbacks can be told apart from the current attempt's.
	 */
	long reserve() {
		return ++this.lastNumbered;
	}

	/** Opens a session beside the current one (no permit: the connection is up). */
	CompletableFuture<TransportSession> openBeside(long attempt, ConnectRequest request) {
		try {
			return this.transport.open(request, new Listener(attempt));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/** The standby {@code attempt} took over: its callbacks are now the current ones. */
	void adopt(long attempt) {
		this.current = attempt;
	}

	/** Times the current step (e.g. authentication); replaces the running timer. */
	void time(Runnable onTimeout, Duration timeout) {
		this.timer.cancel();
		this.timer = this.executor.schedule(onTimeout, timeout);
	}

	void cancelTimer() {
		this.timer.cancel();
		this.timer = Cancellable.NONE;
	}

	/** The attempt is given up: stop waiting for a permit or for the transport. */
	void abandon() {
		cancelTimer();
		if (this.pending != null) {
			this.pending.cancel(false);
			this.pending = null;
		}
		releasePermit();
	}

	private void releasePermit() {
		if (this.permit != null) {
			this.permit.release();
			this.permit = null;
		}
	}

	/** Transport callbacks of one attempt, handed to the engine on its executor. */
	private final class Listener implements TransportListener {

		private final long attempt;

		Listener(long attempt) {
			this.attempt = attempt;
		}

		@Override
		public void onMessage(Message message) {
			on(() -> Attempts.this.engine.traffic().received(this.attempt, message));
		}

		@Override
		public void onPong() {
			on(() -> Attempts.this.engine.traffic().pong(this.attempt));
		}

		@Override
		public void onPing() {
			on(() -> Attempts.this.engine.traffic().pinged(this.attempt));
		}

		@Override
		public void onClosed(int code, String reason) {
			on(() -> Attempts.this.engine.signals().closedByPeer(this.attempt, code, reason));
		}

		@Override
		public void onError(Throwable error) {
			on(() -> Attempts.this.engine.signals().sessionFailed(this.attempt, error));
		}

		@Override
		public void onWritabilityChanged(boolean writable) {
			on(() -> Attempts.this.engine.signals().writabilityChanged(this.attempt, writable));
		}

		private void on(Runnable task) {
			Attempts.this.executor.runOrExecute(task);
		}

	}

}
