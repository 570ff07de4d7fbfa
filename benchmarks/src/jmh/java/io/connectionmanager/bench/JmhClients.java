package io.connectionmanager.bench;

import java.net.URI;

import io.connectionmanager.core.runtime.ConnectionRuntime;

/**
 * Opens the harness's echo clients for the JMH benchmarks in
 * {@code io.connectionmanager.bench.jmh} (the clients are package-private to the
 * harness).
 */
public final class JmhClients {

	private JmhClients() {
	}

	/** One open WebSocket of the given kind: raw, managed or managed_direct. */
	public interface Client extends AutoCloseable {

		void send(String text);

		/** Called on the thread each received text arrives on. */
		void onText(Runnable received);

		@Override
		void close();

	}

	public static Client open(String kind, URI uri, ConnectionRuntime runtime) throws Exception {
		EchoClients.EchoClient client = switch (kind) {
			case "raw" -> EchoClients.raw(uri, runtime);
			case "managed" -> EchoClients.managed(uri, runtime);
			case "managed_direct" -> EchoClients.managedDirect(uri, runtime);
			default -> throw new IllegalArgumentException("kind: raw, managed or managed_direct, not " + kind);
		};
		return new Client() {
			@Override
			public void send(String text) {
				client.send(text);
			}

			@Override
			public void onText(Runnable received) {
				client.onText((text) -> received.run());
			}

			@Override
			public void close() {
				client.close();
			}
		};
	}

}
