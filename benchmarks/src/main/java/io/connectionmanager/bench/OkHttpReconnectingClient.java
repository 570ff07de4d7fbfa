package io.connectionmanager.bench;

import java.net.URI;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * The baseline: an OkHttp WebSocket kept up by the reconnect loop OkHttp users typically
 * write, since OkHttp has none of its own. On {@code onFailure} (which is also how OkHttp
 * reports a missed pong under {@code pingInterval}) or {@code onClosed}, schedule
 * {@code newWebSocket} again after a delay that starts at {@code initial}, doubles after
 * each failed attempt up to {@code max}, and returns to {@code initial} on
 * {@code onOpen}. No jitter: that is the common pattern (and a fixed delay, the other
 * common one, synchronizes a crowd of clients just the same).
 */
final class OkHttpReconnectingClient extends WebSocketListener {

	/**
	 * What the scenarios record. Timestamps are {@link System#nanoTime()}; called on
	 * OkHttp's threads.
	 */
	interface Events {

		/** {@code newWebSocket} is being called. */
		default void attempt(long nanos) {
		}

		/** {@code onOpen}. */
		default void opened(long nanos) {
		}

		/**
		 * {@code onFailure} or {@code onClosed}; the next attempt is scheduled in
		 * {@code delayMillis}.
		 */
		default void lost(long nanos, long delayMillis) {
		}

	}

	private final OkHttpClient http;

	private final Request request;

	private final ScheduledExecutorService scheduler;

	private final long initialMillis;

	private final long maxMillis;

	private final Events events;

	private long nextDelayMillis;

	private WebSocket current;

	private boolean stopped;

	OkHttpReconnectingClient(OkHttpClient http, URI uri, ScheduledExecutorService scheduler, long initialMillis,
			long maxMillis, Events events) {
		this.http = http;
		this.request = new Request.Builder().url(OkHttp.httpUrl(uri)).build();
		this.scheduler = scheduler;
		this.initialMillis = initialMillis;
		this.maxMillis = maxMillis;
		this.nextDelayMillis = initialMillis;
		this.events = events;
	}

	synchronized void start() {
		connect();
	}

	/** Stops reconnecting and cancels the socket (no closing handshake). */
	synchronized void stop() {
		this.stopped = true;
		if (this.current != null) {
			this.current.cancel();
		}
	}

	/** Closes gracefully and stops reconnecting. */
	synchronized void close() {
		this.stopped = true;
		if (this.current != null && !this.current.close(1000, "done")) {
			this.current.cancel();
		}
	}

	private synchronized void connect() {
		if (this.stopped) {
			return;
		}
		this.events.attempt(System.nanoTime());
		this.current = this.http.newWebSocket(this.request, this);
	}

	@Override
	public void onOpen(WebSocket webSocket, Response response) {
		long now = System.nanoTime();
		synchronized (this) {
			if (webSocket != this.current) {
				return;
			}
			this.nextDelayMillis = this.initialMillis;
		}
		this.events.opened(now);
	}

	@Override
	public void onClosing(WebSocket webSocket, int code, String reason) {
		webSocket.close(1000, null);
	}

	@Override
	public void onClosed(WebSocket webSocket, int code, String reason) {
		lost(webSocket);
	}

	@Override
	public void onFailure(WebSocket webSocket, Throwable t, Response response) {
		lost(webSocket);
	}

	private void lost(WebSocket webSocket) {
		long now = System.nanoTime();
		long delay;
		synchronized (this) {
			if (webSocket != this.current || this.stopped) {
				return;
			}
			this.current = null;
			delay = this.nextDelayMillis;
			this.nextDelayMillis = Math.min(this.maxMillis, this.nextDelayMillis * 2);
			this.scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
		}
		this.events.lost(now, delay);
	}

}
