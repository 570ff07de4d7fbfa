package io.connectionmanager.core.internal.engine;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import io.connectionmanager.core.handler.ConnectionSession;
import io.connectionmanager.core.handler.SessionEndedException;
import io.connectionmanager.core.handler.Subscriptions;
import io.connectionmanager.core.event.SubscriptionFailed;
import io.connectionmanager.core.transport.Message;

/**
 * The connection's subscriptions, in insertion order, and which session has had them
 * replayed. One lock makes "add while a replay runs" exact: either the replay includes
 * the new subscription, or it has finished and the add sends it itself, never both.
 * Outcomes of sends are handled on the lane, outside the lock (a future may complete
 * under the outbound buffer's lock).
 */
final class SubscriptionRegistry implements Subscriptions {

	private final String connection;

	private final Executor lane;

	private final Clock clock;

	private final Consumer<SubscriptionFailed> reporter;

	private final Map<String, Function<ConnectionSession, Message>> entries = new LinkedHashMap<>();

	private final Map<String, Status> status = new HashMap<>();

	/** The session whose replay has been made, while it lasts. */
	private AttemptSession replayed;

	SubscriptionRegistry(String connection, Executor lane, Clock clock, Consumer<SubscriptionFailed> reporter) {
		this.connection = connection;
		this.lane = lane;
		this.clock = clock;
		this.reporter = reporter;
	}

	@Override
	public boolean add(String key, Message subscribe) {
		requireNonNull(subscribe, "subscribe");
		return add(key, (session) -> subscribe);
	}

	@Override
	public synchronized boolean add(String key, Function<ConnectionSession, Message> subscribe) {
		requireNonNull(key, "key");
		requireNonNull(subscribe, "subscribe");
		if (this.entries.containsKey(key)) {
			return false;
		}
		this.entries.put(key, subscribe);
		this.status.put(key, Status.PENDING);
		if (this.replayed != null) {
			send(this.replayed, key, subscribe);
		}
		return true;
	}

	@Override
	public synchronized boolean remove(String key, Message unsubscribe) {
		if (this.entries.remove(key) == null) {
			return false;
		}
		this.status.remove(key);
		if (this.replayed != null && unsubscribe != null) {
			this.replayed.send(unsubscribe);
		}
		return true;
	}

	@Override
	public synchronized List<String> keys() {
		return new ArrayList<>(this.entries.keySet());
	}

	@Override
	public synchronized Status status(String key) {
		return this.status.get(key);
	}

	@Override
	public synchronized void acknowledge(String key) {
		this.status.computeIfPresent(key, (ignored, before) -> Status.ACTIVE);
	}

	@Override
	public void fail(String key, String reason) {
		int attempt;
		synchronized (this) {
			if (this.status.computeIfPresent(key, (ignored, before) -> Status.FAILED) == null) {
				return;
			}
			attempt = (this.replayed != null) ? this.replayed.attempt() : 0;
		}
		this.reporter.accept(new SubscriptionFailed(this.connection, key, reason, attempt, this.clock.instant()));
	}

	/** On the lane, once per session, after {@code onConnected}: sends every one. */
	synchronized void replay(AttemptSession session) {
		if (!session.isOpen()) {
			return;
		}
		this.replayed = session;
		this.entries.forEach((key, subscribe) -> {
			this.status.put(key, Status.PENDING);
			send(session, key, subscribe);
		});
	}

	/** The session ended: nothing is sent until the next replay. */
	synchronized void ended(AttemptSession session) {
		if (this.replayed == session) {
			this.replayed = null;
		}
	}

	private void send(AttemptSession session, String key, Function<ConnectionSession, Message> subscribe) {
		Message message;
		try {
			message = subscribe.apply(session);
		}
		catch (RuntimeException ex) {
			this.lane.execute(() -> fail(key, "the subscribe message could not be made: " + ex));
			return;
		}
		session.send(message).whenComplete((ignored, error) -> {
			// A session that ended takes its subscriptions along: the next one replays
			// them.
			if (error != null && !(error instanceof SessionEndedException)) {
				this.lane.execute(() -> fail(key, "not sent: " + error.getMessage()));
			}
		});
	}

	private static void requireNonNull(Object value, String name) {
		if (value == null) {
			throw new NullPointerException(name);
		}
	}

}
