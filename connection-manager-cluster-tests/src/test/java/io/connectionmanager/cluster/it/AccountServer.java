package io.connectionmanager.cluster.it;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.connectionmanager.test.server.ServerConnection;
import io.connectionmanager.test.server.TestWebSocketServer;

/**
 * An upstream that allows one session per account (the URL's path) and counts how many
 * are open at once: each time a session opens, the sessions of its account still open are
 * counted (an overlap always begins with an open). Each session receives a numbered
 * stream, one number every {@code pace} milliseconds, from {@code ?resume-from=N} + 1 (or
 * 1).
 */
final class AccountServer implements AutoCloseable {

	private final TestWebSocketServer server = TestWebSocketServer.start();

	private final ScheduledExecutorService streams = Executors.newSingleThreadScheduledExecutor();

	private final Map<String, AtomicInteger> mostOpen = new ConcurrentHashMap<>();

	private final AtomicLong opened = new AtomicLong();

	private final long paceMillis;

	AccountServer(long paceMillis) {
		this.paceMillis = paceMillis;
		this.server.onOpen(this::opened);
	}

	URI uri(String account) {
		return this.server.uri("/" + account);
	}

	/** The most sessions of the account that were ever open at once. */
	int mostOpenAtOnce(String account) {
		AtomicInteger most = this.mostOpen.get("/" + account);
		return (most != null) ? most.get() : 0;
	}

	int openNow(String account) {
		return (int) this.server.connections()
			.stream()
			.filter((connection) -> path(connection).equals("/" + account))
			.count();
	}

	long sessionsOpened() {
		return this.opened.get();
	}

	private void opened(ServerConnection connection) {
		this.opened.incrementAndGet();
		String account = path(connection);
		long open = this.server.connections().stream().filter((other) -> path(other).equals(account)).count();
		this.mostOpen.computeIfAbsent(account, (key) -> new AtomicInteger()).accumulateAndGet((int) open, Math::max);
		String query = URI.create(connection.requestUri()).getQuery();
		long from = (query != null && query.startsWith("resume-from=")) ? Long.parseLong(query.substring(12)) : 0;
		AtomicLong next = new AtomicLong(from + 1);
		AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
		task.set(this.streams.scheduleAtFixedRate(() -> {
			if (!connection.isOpen()) {
				ScheduledFuture<?> self = task.get();
				if (self != null) {
					self.cancel(false);
				}
				return;
			}
			connection.sendText(Long.toString(next.getAndIncrement()));
		}, 0, this.paceMillis, TimeUnit.MILLISECONDS));
	}

	private static String path(ServerConnection connection) {
		return URI.create(connection.requestUri()).getPath();
	}

	@Override
	public void close() {
		this.streams.shutdownNow();
		this.server.close();
	}

}
