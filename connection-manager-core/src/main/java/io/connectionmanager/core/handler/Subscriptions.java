package io.connectionmanager.core.handler;

import java.util.List;
import java.util.function.Function;

import io.connectionmanager.core.transport.Message;

/**
 * What the connection subscribes to, kept across sessions: each subscription is sent at
 * once when the connection is CONNECTED, and replayed after every (re)authentication,
 * exactly once per session, in insertion order, after {@code onConnected} and before any
 * buffered message. The application never resubscribes by hand, so nothing is subscribed
 * twice.
 * <p>
 * A handler tells the outcome when the server answers: {@link #acknowledge} or
 * {@link #fail} (a {@code SubscriptionFailed} event; the connection stays up and the
 * subscription is sent again on the next session unless it is removed).
 * <p>
 * Threading: every method may be called from any thread and none blocks.
 */
public interface Subscriptions {

	/** Where a subscription stands on the current session. */
	enum Status {

		/** Not yet answered on this session (or not sent yet: not CONNECTED). */
		PENDING,

		/** The handler acknowledged it on this session. */
		ACTIVE,

		/** The handler failed it on this session; it is retried on the next one. */
		FAILED

	}

	/**
	 * Adds a subscription, sending {@code subscribe} at once if CONNECTED. Adding a key
	 * that is already there does nothing.
	 * @return whether it was added
	 */
	boolean add(String key, Message subscribe);

	/**
	 * Adds a subscription whose message is made for each session (e.g. to carry
	 * {@link ConnectionSession#resumePosition()}); called on the thread that sends it.
	 * @return whether it was added
	 */
	boolean add(String key, Function<ConnectionSession, Message> subscribe);

	/**
	 * Removes a subscription; if it was sent on the current session, sends
	 * {@code unsubscribe} (unless {@code null}).
	 * @return whether it was there
	 */
	boolean remove(String key, Message unsubscribe);

	/** The keys, in insertion order (a copy). */
	List<String> keys();

	/** Where {@code key} stands on the current session, or {@code null} if unknown. */
	Status status(String key);

	/** The server confirmed {@code key} on the current session. */
	void acknowledge(String key);

	/**
	 * The server refused {@code key}: reported as a {@code SubscriptionFailed} event; the
	 * connection stays up, and the subscription is sent again on the next session unless
	 * it is removed.
	 */
	void fail(String key, String reason);

}
