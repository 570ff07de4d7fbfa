package io.connectionmanager.test.kit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The scripted servers against real JDK clients on loopback. */
@ExtendWith(ScriptedServerExtension.class)
class ScriptedServerExtensionTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void recordsAndExpectsClientMessagesAndSendsAndResponds(ScriptedServer server) throws Exception {
		server.respond((message) -> message.equals("ping") ? "pong" : null);
		Client client = connect(server);
		client.socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
		client.socket.sendText("ping", true).get(10, TimeUnit.SECONDS);
		assertThat(server.expectMessage(WAIT)).isEqualTo("hello");
		assertThat(server.expectMessage(WAIT)).isEqualTo("ping");
		assertThat(client.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("pong");
		server.send("from server");
		assertThat(client.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("from server");
		assertThat(server.received()).containsExactly("hello", "ping");
	}

	@Test
	void expectMessageFailsWhenNothingArrives(ScriptedServer server) throws Exception {
		connect(server);
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> server.expectMessage(Duration.ofMillis(200)))
			.withMessageContaining("Expected a message from the client within PT0.2S");
	}

	@Test
	void rejectsUpgradesWithTheStatusThenAcceptsAgain(ScriptedServer server) throws Exception {
		server.reject(503);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connect(server))
			.havingCause()
			.isInstanceOfSatisfying(WebSocketHandshakeException.class,
					(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(503));
		server.accept();
		connect(server);
		assertThat(server.handshakeCount()).isEqualTo(2);
	}

	@Test
	void dropCutsTheConnection(ScriptedServer server) throws Exception {
		Client client = connect(server);
		await().atMost(WAIT).until(() -> server.openConnections() == 1);
		server.drop();
		assertThat(client.closed.get(10, TimeUnit.SECONDS)).isNotNull();
		await().atMost(WAIT).until(() -> server.openConnections() == 0);
	}

	@Test
	void freezeStopsAnsweringUntilUnfrozen(ScriptedServer server) throws Exception {
		server.respond((message) -> "echo " + message);
		Client client = connect(server);
		server.freeze();
		client.socket.sendText("one", true).get(10, TimeUnit.SECONDS);
		assertThat(client.messages.poll(500, TimeUnit.MILLISECONDS)).isNull();
		assertThat(server.received()).isEmpty();
		server.unfreeze();
		assertThat(server.expectMessage(WAIT)).isEqualTo("one");
		assertThat(client.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("echo one");
	}

	@Test
	void lineServerRecordsSendsAndDrops(ScriptedLineServer server) throws Exception {
		assertThat(server.url().toString()).isEqualTo("tcp://127.0.0.1:" + server.port());
		try (Socket socket = new Socket("127.0.0.1", server.port())) {
			PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			out.println("subscribe");
			assertThat(server.expectMessage(WAIT)).isEqualTo("subscribe");
			server.send("tick");
			socket.setSoTimeout(10_000);
			assertThat(in.readLine()).isEqualTo("tick");
			server.drop();
			await().atMost(WAIT).until(() -> server.openConnections() == 0);
			assertThat(server.received()).containsExactly("subscribe");
		}
	}

	private Client connect(ScriptedServer server) throws Exception {
		Client client = new Client();
		client.socket = this.http.newWebSocketBuilder().buildAsync(server.url("/ws"), client).get(10, TimeUnit.SECONDS);
		return client;
	}

	private static final class Client implements WebSocket.Listener {

		private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

		private final CompletableFuture<Object> closed = new CompletableFuture<>();

		private WebSocket socket;

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.messages.add(data.toString());
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
			this.closed.complete(error);
		}

	}

}
