package io.connectionmanager.core;

import io.connectionmanager.core.handler.Subscriptions;
import io.connectionmanager.core.state.ConnectionSnapshot;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.internal.engine.ConnectionEngine;
import io.connectionmanager.core.internal.engine.ShutdownSequence;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.Transport;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;

/**
 * A connection that keeps itself connected: it drives a {@link Transport} through the
 * transition table, backs off between attempts, checks liveness with heartbeats, asks a
 * Resilience4j {@link CircuitBreaker} before each attempt and reports every transition to
 * its {@link ConnectionListener}s.
 * <p>
 * Threading: every method may be called from any thread and none blocks (except
 * {@link #close()}). State changes happen on the connection's event loop; handler and
 * listener callbacks run on the shared handler pool, in order for each connection, never
 * on an event loop. A handler does not need this object: every callback gets its
 * {@link ConnectionSession}.
 */
public final class ManagedConnection implements AutoCloseable {

	private static final int NORMAL_CLOSURE = 1000;

	private final ConnectionSettings settings;

	private final ConnectionEngine engine;

	private final ConnectionExecutor executor;

	private final CircuitBreaker circuitBreaker;

	private final ShutdownSequence shutdown;

	private final AutoCloseable ownedResources;

	private volatile boolean closed;

	private CompletableFuture<Void> closing;

	ManagedConnection(ConnectionSettings settings, ConnectionEngine engine, ConnectionExecutor executor,
			CircuitBreaker circuitBreaker, Transport transport, AutoCloseable ownedResources) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.engine = Objects.requireNonNull(engine, "engine");
		this.executor = executor;
		this.circuitBreaker = circuitBreaker;
		this.shutdown = new ShutdownSequence(engine, executor, transport, settings.shutdownTimeout());
		this.ownedResources = ownedResources;
	}

	/** Starts building a connection from validated settings. */
	public static ManagedConnectionBuilder builder(ConnectionSettings settings) {
		return new ManagedConnectionBuilder(settings);
	}

	public String name() {
		return this.settings.name();
	}

	public ConnectionSettings settings() {
		return this.settings;
	}

	public ConnectionState state() {
		return this.engine.state();
	}

	/** The connection's breaker, or {@code null} when circuit breaking is disabled. */
	public CircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	/**
	 * The connection's outbound rate limiter ({@code outbound.rate-limit.*}), for its
	 * meters, or {@code null} without a limit. Sends use it themselves: do not acquire
	 * its permits yourself.
	 */
	public RateLimiter rateLimiter() {
		return this.engine.rateLimiter();
	}

	/**
	 * What this connection subscribes to: sent at once while CONNECTED and replayed,
	 * exactly once per session, after every (re)authentication.
	 */
	public Subscriptions subscriptions() {
		return this.engine.subscriptions();
	}

	public void addListener(ConnectionListener listener) {
		this.engine.addListener(Objects.requireNonNull(listener, "listener"));
	}

	public void removeListener(ConnectionListener listener) {
		this.engine.removeListener(listener);
	}

	/**
	 * Connects (or, while RECONNECTING or FATAL, attempts at once). No effect when
	 * already on the way up.
	 * @throws IllegalStateException once the connection is closed
	 */
	public void connect() {
		request(Trigger.CONNECT_REQUESTED);
	}

	/**
	 * Drops any current session or attempt and connects afresh, with a fresh backoff
	 * sequence.
	 * @throws IllegalStateException once the connection is closed
	 */
	public void reconnect() {
		request(Trigger.RECONNECT_REQUESTED);
	}

	private void request(Trigger trigger) {
		if (this.closed) {
			throw new IllegalStateException("Connection '" + name() + "' is closed");
		}
		this.engine.request(trigger);
	}

	/**
	 * Closes with code 1000 and stays DISCONNECTED. The future completes once the
	 * transport has closed.
	 */
	public CompletableFuture<Void> disconnect() {
		return this.engine.disconnect(NORMAL_CLOSURE);
	}

	/**
	 * Sends a message while CONNECTED (or buffers it, by {@code outbound.*} policy),
	 * paced by {@code outbound.rate-limit} if set. Never throws for a state or capacity
	 * reason: the future fails instead, with {@link NotConnectedException} (naming the
	 * state at that moment), {@code OutboundBufferFullException},
	 * {@code RateLimitExceededException} or {@code MessageNotSentException}. After a
	 * (re)authentication, messages buffered meanwhile leave after the session's opening
	 * ({@code onConnected}, the subscription replay) and before later sends.
	 */
	public CompletableFuture<Void> send(Message message) {
		return this.engine.send(Objects.requireNonNull(message, "message"));
	}

	/** {@link #send(Message)} of a text message. */
	public CompletableFuture<Void> send(String text) {
		return send(Message.text(text));
	}

	/** {@link #send(Message)} of a binary message. */
	public CompletableFuture<Void> send(byte[] data) {
		return send(Message.binary(data));
	}

	/** The connection's status now; safe from any thread. */
	public ConnectionSnapshot snapshot() {
		return this.engine.snapshot();
	}

	/**
	 * Stops without closing for good: a 1001 close frame, lets the handler finish what
	 * was already received, saves the resume position, bounded by
	 * {@code shutdown-timeout}. The connection is DISCONNECTED afterwards and
	 * {@link #connect()} starts it again (an application context's stop/start).
	 */
	public CompletableFuture<Void> stopAsync() {
		return this.shutdown.stop();
	}

	/**
	 * Closes for good: {@link #stopAsync()}, then releases the transport. Never blocks
	 * the caller. Idempotent: later calls return the same future.
	 */
	public CompletableFuture<Void> closeAsync() {
		synchronized (this.shutdown) {
			if (this.closing == null) {
				this.closed = true;
				this.closing = this.shutdown.close(this.ownedResources);
			}
			return this.closing;
		}
	}

	/**
	 * {@link #closeAsync()}, waiting for it (unless called from the connection's own
	 * thread).
	 */
	@Override
	public void close() {
		CompletableFuture<Void> done = closeAsync();
		if (!this.executor.inExecutor()) {
			done.join();
		}
	}

	/** Whether {@link #close()} was called; a closed connection cannot connect again. */
	public boolean isClosed() {
		return this.closed;
	}

}
