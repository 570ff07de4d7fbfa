package io.connectionmanager.core.internal.engine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.runtime.Cancellable;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.transport.Message;

/**
 * The requests of one session that wait for their replies, keyed by the handler's
 * {@link ConnectionHandler#correlationOf correlation key}. Every future completes on the
 * handler lane (a reply is matched there; a timeout or the session's end is handed to
 * it), so that application callbacks chained on it never run on an event loop.
 */
final class PendingRequests {

	private final String connection;

	private final ConnectionHandler handler;

	private final ConnectionExecutor loop;

	private final Executor lane;

	private final CallbackFailures failures;

	private final Map<Object, Waiting> waiting = new ConcurrentHashMap<>();

	PendingRequests(String connection, ConnectionHandler handler, ConnectionExecutor loop, Executor lane,
			CallbackFailures failures) {
		this.connection = connection;
		this.handler = handler;
		this.loop = loop;
		this.lane = lane;
		this.failures = failures;
	}

	/** Registers the request's key, then sends it with {@code send}. */
	CompletableFuture<Message> request(Message message, Duration timeout,
			Function<Message, CompletableFuture<Void>> send) {
		if (message == null || timeout == null || timeout.isNegative() || timeout.isZero()) {
			return CompletableFuture
				.failedFuture(new IllegalArgumentException("a request needs a message and a positive timeout"));
		}
		Object key;
		try {
			key = this.handler.correlationOf(message);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("correlationOf threw", ex));
		}
		if (key == null) {
			return CompletableFuture.failedFuture(
					new IllegalArgumentException("the handler's correlationOf gives this request no key: " + message));
		}
		Waiting entry = new Waiting(new CompletableFuture<>());
		if (this.waiting.putIfAbsent(key, entry) != null) {
			return CompletableFuture
				.failedFuture(new IllegalArgumentException("a request with key " + key + " is already waiting"));
		}
		entry.timer = this.loop.schedule(
				() -> fail(key, entry, new TimeoutException(
						"No reply to request " + key + " on connection '" + this.connection + "' within " + timeout)),
				timeout);
		send.apply(message).whenComplete((ignored, error) -> {
			if (error != null) {
				fail(key, entry, error);
			}
		});
		return entry.future;
	}

	boolean isEmpty() {
		return this.waiting.isEmpty();
	}

	/** On the lane: completes the request this message answers; false if none. */
	boolean complete(Message message) {
		if (this.waiting.isEmpty()) {
			return false;
		}
		Object key;
		try {
			key = this.handler.correlationOf(message);
		}
		catch (RuntimeException ex) {
			this.failures.record("correlationOf", ex);
			return false;
		}
		Waiting entry = (key != null) ? this.waiting.remove(key) : null;
		if (entry == null) {
			return false;
		}
		entry.timer.cancel();
		entry.future.complete(message);
		return true;
	}

	/** The session ended: every waiting request fails (on the lane). */
	void failAll(Function<Object, RuntimeException> failure) {
		this.waiting.forEach((key, entry) -> fail(key, entry, failure.apply(key)));
	}

	private void fail(Object key, Waiting entry, Throwable error) {
		if (this.waiting.remove(key, entry)) {
			entry.timer.cancel();
			this.lane.execute(() -> entry.future.completeExceptionally(error));
		}
	}

	private static final class Waiting {

		final CompletableFuture<Message> future;

		volatile Cancellable timer = Cancellable.NONE;

		Waiting(CompletableFuture<Message> future) {
			this.future = future;
		}

	}

}
