package io.connectionmanager.core.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import io.connectionmanager.test.server.ServerConnection;
import io.connectionmanager.test.server.TestWebSocketServer;

/**
 * What a test server received, per server-side connection, in arrival order (with the
 * server's {@link System#nanoTime()} of each), so tests can assert on each session.
 */
final class Transcripts {

	private final Map<ServerConnection, List<Received>> byConnection = new ConcurrentHashMap<>();

	private final List<ServerConnection> order = new CopyOnWriteArrayList<>();

	record Received(String text, long nanoTime) {
	}

	/**
	 * Records every text, then hands it to {@code then} (on the server's event loop).
	 */
	static Transcripts record(TestWebSocketServer server, BiConsumer<ServerConnection, String> then) {
		Transcripts transcripts = new Transcripts();
		server.onOpen(transcripts::opened);
		server.onText((connection, text) -> {
			transcripts.byConnection.computeIfAbsent(connection, (key) -> new CopyOnWriteArrayList<>())
				.add(new Received(text, System.nanoTime()));
			then.accept(connection, text);
		});
		return transcripts;
	}

	private void opened(ServerConnection connection) {
		this.byConnection.putIfAbsent(connection, new CopyOnWriteArrayList<>());
		this.order.add(connection);
	}

	/** Server-side connections, in the order they were upgraded. */
	List<ServerConnection> connections() {
		return List.copyOf(this.order);
	}

	List<String> texts(ServerConnection connection) {
		return received(connection).stream().map(Received::text).toList();
	}

	List<Received> received(ServerConnection connection) {
		return new ArrayList<>(this.byConnection.getOrDefault(connection, List.of()));
	}

	/** Every text of every connection, in order. */
	List<Received> all() {
		List<Received> all = new ArrayList<>();
		connections().forEach((connection) -> all.addAll(received(connection)));
		return all;
	}

}
