package io.connectionmanager.sample;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.connectionmanager.sample.feed.SimulatedFeed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The simulated exchange on its own, spoken to with the JDK's WebSocket client: its
 * protocol and its misbehaviour.
 */
class SimulatedFeedTests {

	private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

	private final HttpClient http = HttpClient.newHttpClient();

	private SimulatedFeed feed;

	@BeforeEach
	void start() {
		this.feed = SimulatedFeed
			.start(new SimulatedFeed.Options(0, "/stream", "secret", Duration.ofMillis(10), 50, Duration.ofSeconds(2)));
	}

	@AfterEach
	void stop() {
		this.feed.close();
	}

	@Test
	void authenticatesSubscribesAndStreamsSequencedTicks() {
		Client client = connect("/stream");
		client.send("{\"type\":\"auth\",\"token\":\"secret\"}");
		client.awaitMessage("{\"type\":\"auth-ok\"}");
		client.send("{\"type\":\"subscribe\"}");
		await().atMost(Duration.ofSeconds(5)).until(() -> ticks(client).size() >= 10);
		assertThat(client.messages().get(1)).startsWith("{\"type\":\"subscribed\"");
		assertThat(client.messages().stream().filter((m) -> m.contains("\"type\":\"tick\"")).findFirst().orElseThrow())
			.matches("\\{\"type\":\"tick\",\"seq\":\\d+,\"symbol\":\"[A-Z]+\",\"price\":\\d+\\.\\d{2}\\}");
		assertConsecutive(ticks(client));
	}

	@Test
	void rejectsAWrongTokenAndEverythingWhileRejectingAuthentication() {
		Client wrong = connect("/stream");
		wrong.send("{\"type\":\"auth\",\"token\":\"guess\"}");
		wrong.awaitMessageStartingWith("{\"type\":\"auth-failed\"");
		wrong.send("{\"type\":\"subscribe\"}");
		wrong.awaitMessageStartingWith("{\"type\":\"error\"");

		this.feed.rejectAuthentication(false);
		Client right = connect("/stream");
		right.send("{\"type\":\"auth\",\"token\":\"secret\"}");
		right.awaitMessageStartingWith("{\"type\":\"auth-failed\"");
		this.feed.restore();
		right.send("{\"type\":\"auth\",\"token\":\"secret\"}");
		right.awaitMessage("{\"type\":\"auth-ok\"}");
	}

	@Test
	void replaysFromTheRequestedSequenceThenGoesLive() {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.feed.latestSequence() >= 30);
		long from = this.feed.latestSequence() - 20;
		Client client = connect("/stream");
		client.send("{\"type\":\"auth\",\"token\":\"secret\"}");
		client.awaitMessage("{\"type\":\"auth-ok\"}");
		client.send("{\"type\":\"subscribe\",\"from\":" + from + "}");
		await().atMost(Duration.ofSeconds(5)).until(() -> ticks(client).size() >= 40);
		List<Long> ticks = ticks(client);
		assertThat(ticks.get(0)).isEqualTo(from + 1);
		assertConsecutive(ticks);
	}

	@Test
	void answersApplicationAndProtocolPings() {
		Client client = connect("/stream");
		client.send("{\"type\":\"ping\",\"id\":7}");
		client.awaitMessage("{\"type\":\"pong\",\"id\":7}");
		client.socket.sendPing(java.nio.ByteBuffer.wrap(new byte[] { 1, 2, 3 })).join();
		await().atMost(Duration.ofSeconds(5)).until(() -> client.pongs > 0);
	}

	@Test
	void refusesUpgradesOnRequest() {
		assertThat(upgradeStatus("/admin")).isEqualTo(401);
		assertThat(upgradeStatus("/nothing-here")).isEqualTo(404);
		this.feed.rejectUpgrades(null, true);
		assertThat(upgradeStatus("/stream")).isEqualTo(503);
		this.feed.restore();
		connect("/stream");
	}

	@Test
	void dropResetsAndFreezeGoesSilentWhileTheSocketStaysOpen() {
		Client dropped = connect("/stream");
		this.feed.drop();
		await().atMost(Duration.ofSeconds(5)).until(() -> dropped.closed.isDone());

		Client frozen = connect("/stream");
		frozen.send("{\"type\":\"auth\",\"token\":\"secret\"}");
		frozen.awaitMessage("{\"type\":\"auth-ok\"}");
		this.feed.freeze(null);
		int seen = frozen.messages().size();
		frozen.send("{\"type\":\"ping\",\"id\":1}");
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(1))
			.until(() -> frozen.messages().size() == seen && !frozen.closed.isDone());
		assertThat(this.feed.status().frozen()).isOne();
		this.feed.restore();
		await().atMost(Duration.ofSeconds(5)).until(() -> frozen.closed.isDone());
	}

	@Test
	void restartRefusesConnectionsThenListensAgainOnTheSamePort() {
		int port = this.feed.port();
		Client client = connect("/stream");
		this.feed.restart();
		await().atMost(Duration.ofSeconds(5)).until(() -> client.closed.isDone());
		assertThat(client.closed.join()).isEqualTo(1012);
		assertThatThrownBy(() -> connect("/stream")).hasCauseInstanceOf(ConnectException.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.feed.status().listening());
		assertThat(this.feed.port()).isEqualTo(port);
		connect("/stream");
	}

	// ---- helpers ----

	private Client connect(String path) {
		Client client = new Client();
		client.socket = this.http.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create("ws://127.0.0.1:" + this.feed.port() + path), client)
			.orTimeout(5, TimeUnit.SECONDS)
			.join();
		return client;
	}

	private int upgradeStatus(String path) {
		try {
			connect(path);
			return 101;
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
				return handshake.getResponse().statusCode();
			}
			throw ex;
		}
	}

	private static List<Long> ticks(Client client) {
		return client.messages()
			.stream()
			.map(SEQ::matcher)
			.filter(Matcher::find)
			.map((m) -> Long.parseLong(m.group(1)))
			.toList();
	}

	private static void assertConsecutive(List<Long> ticks) {
		for (int i = 1; i < ticks.size(); i++) {
			assertThat(ticks.get(i)).as("tick %d", i).isEqualTo(ticks.get(i - 1) + 1);
		}
	}

	/** Collects what the feed sends. */
	private static final class Client implements WebSocket.Listener {

		private final List<String> received = new CopyOnWriteArrayList<>();

		private final StringBuilder partial = new StringBuilder();

		final CompletableFuture<Integer> closed = new CompletableFuture<>();

		volatile int pongs;

		WebSocket socket;

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.received.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onPong(WebSocket webSocket, java.nio.ByteBuffer message) {
			this.pongs++;
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.complete(1006);
		}

		List<String> messages() {
			return List.copyOf(this.received);
		}

		void send(String text) {
			this.socket.sendText(text, true).join();
		}

		void awaitMessage(String expected) {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.received.contains(expected));
		}

		void awaitMessageStartingWith(String prefix) {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.received.stream().anyMatch((m) -> m.startsWith(prefix)));
		}

	}

}
