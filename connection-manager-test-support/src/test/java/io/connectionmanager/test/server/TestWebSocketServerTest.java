package io.connectionmanager.test.server;

import io.connectionmanager.test.support.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import static io.connectionmanager.test.support.Clients.HTTP;
import static io.connectionmanager.test.support.Clients.await;
import static io.connectionmanager.test.support.Clients.connect;
import static io.connectionmanager.test.support.Clients.connectAsync;
import static io.connectionmanager.test.support.Clients.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TestWebSocketServerTest {

	private static final Duration QUIET = Duration.ofMillis(500);

	private TestWebSocketServer server;

	@BeforeEach
	void start() {
		server = TestWebSocketServer.start();
	}

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void echoesTextAndBinary() {
		RecordingListener listener = new RecordingListener();
		WebSocket ws = connect(server.uri("/echo"), listener);

		ws.sendText("hello", true).join();
		ws.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).join();

		assertThat(listener.nextText()).isEqualTo("hello");
		await().atMost(Duration.ofSeconds(5)).until(() -> !listener.binaries.isEmpty());
		assertThat(listener.binaries.peek()).containsExactly(1, 2, 3);
		assertThat(server.textMessagesReceived()).isEqualTo(1);
		assertThat(server.binaryMessagesReceived()).isEqualTo(1);
		assertThat(server.uri("echo").toString()).isEqualTo("ws://127.0.0.1:" + server.port() + "/echo");
	}

	@Test
	void killResetsConnectionsAndRestartAcceptsOnTheSamePort() {
		RecordingListener listener = new RecordingListener();
		connect(server.uri("/"), listener);
		int port = server.port();

		server.kill();

		assertThat(server.isRunning()).isFalse();
		assertThat(await(listener.error)).isInstanceOf(IOException.class);
		assertThat(listener.closed).isNotDone();
		assertThat(failureOf(connectAsync(HTTP, server.uri("/"), new RecordingListener())))
			.isInstanceOf(ConnectException.class);

		server.restart();

		assertThat(server.isRunning()).isTrue();
		assertThat(server.port()).isEqualTo(port);
		RecordingListener again = new RecordingListener();
		connect(server.uri("/"), again).sendText("back", true).join();
		assertThat(again.nextText()).isEqualTo("back");
	}

	@Test
	void freezeKeepsTcpOpenButAnswersNothingUntilUnfrozen() {
		RecordingListener listener = new RecordingListener();
		WebSocket ws = connect(server.uri("/"), listener);

		server.freeze();
		ws.sendPing(ByteBuffer.wrap("p1".getBytes(StandardCharsets.UTF_8))).join();
		ws.sendText("queued", true).join();

		await().during(QUIET)
			.atMost(QUIET.multipliedBy(2))
			.until(() -> listener.pongs.isEmpty() && listener.texts.isEmpty() && !listener.error.isDone());
		assertThat(server.pingsReceived()).isZero();
		assertThat(server.connections()).hasSize(1);

		server.unfreeze();

		assertThat(listener.nextPong()).asString(StandardCharsets.UTF_8).isEqualTo("p1");
		assertThat(listener.nextText()).isEqualTo("queued");
		assertThat(server.pingsReceived()).isEqualTo(1);
	}

	@Test
	void connectionsOpenedWhileFrozenGetNoHandshakeResponse() {
		server.freeze();
		RecordingListener listener = new RecordingListener();
		CompletableFuture<WebSocket> pending = connectAsync(HTTP, server.uri("/late"), listener);

		await().during(QUIET).atMost(QUIET.multipliedBy(2)).until(() -> !pending.isDone());
		assertThat(server.handshakeCount()).isZero();

		server.unfreeze();

		await(pending).sendText("served", true).join();
		assertThat(listener.nextText()).isEqualTo("served");
		assertThat(server.handshakes()).singleElement().extracting(HandshakeRecord::uri).isEqualTo("/late");
	}

	@Test
	void rejectedUpgradeGivesTheStatusAndRetryAfterToTheClient() {
		server.rejectUpgrades(503, Duration.ofSeconds(7));

		Throwable failure = failureOf(connectAsync(HTTP, server.uri("/"), new RecordingListener()));

		assertThat(failure).isInstanceOf(WebSocketHandshakeException.class);
		var response = ((WebSocketHandshakeException) failure).getResponse();
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
		assertThat(server.handshakes()).singleElement().extracting(HandshakeRecord::status).isEqualTo(503);

		server.acceptUpgrades();
		connect(server.uri("/"), new RecordingListener());
		assertThat(server.handshakes()).extracting(HandshakeRecord::status).containsExactly(503, 101);
	}

	@Test
	void missingRequiredHeaderGets401() {
		server.requireHeader("Authorization", "Bearer good");

		Throwable failure = failureOf(HTTP.newWebSocketBuilder()
			.header("Authorization", "Bearer bad")
			.buildAsync(server.uri("/"), new RecordingListener()));
		assertThat(((WebSocketHandshakeException) failure).getResponse().statusCode()).isEqualTo(401);

		RecordingListener listener = new RecordingListener();
		await(HTTP.newWebSocketBuilder().header("Authorization", "Bearer good").buildAsync(server.uri("/"), listener))
			.sendText("in", true)
			.join();
		assertThat(listener.nextText()).isEqualTo("in");
	}

	@Test
	void recordsHandshakesWithHeadersSubprotocolAndTiming() {
		server.close();
		server = TestWebSocketServer.builder().subprotocols("v1", "v2").start();
		long before = System.nanoTime();
		Instant wallBefore = Instant.now();

		WebSocket ws = await(HTTP.newWebSocketBuilder()
			.header("X-Request-Id", "abc")
			.subprotocols("v2", "v1")
			.buildAsync(server.uri("/chat?room=1"), new RecordingListener()));

		assertThat(ws.getSubprotocol()).isEqualTo("v2");
		assertThat(server.handshakeCount()).isEqualTo(1);
		HandshakeRecord record = server.handshakes().get(0);
		assertThat(record.uri()).isEqualTo("/chat?room=1");
		assertThat(record.header("x-request-id")).isEqualTo("abc");
		assertThat(record.headers().get("SEC-WEBSOCKET-PROTOCOL")).containsExactly("v2, v1");
		assertThat(record.subprotocol()).isEqualTo("v2");
		assertThat(record.status()).isEqualTo(101);
		assertThat(record.upgraded()).isTrue();
		assertThat(record.nanoTime()).isBetween(before, System.nanoTime());
		assertThat(record.time()).isBetween(wallBefore, Instant.now());
		assertThat(server.connections()).singleElement().satisfies(c -> {
			assertThat(c.requestUri()).isEqualTo("/chat?room=1");
			assertThat(c.subprotocol()).isEqualTo("v2");
			assertThat(c.headers().get("x-request-id")).containsExactly("abc");
		});
	}

	@Test
	void stalledHandshakeNeverCompletes() {
		server.stallHandshakes(true);

		CompletableFuture<WebSocket> pending = HTTP.newWebSocketBuilder()
			.connectTimeout(Duration.ofMillis(700))
			.buildAsync(server.uri("/"), new RecordingListener());

		assertThat(failureOf(pending)).isInstanceOf(HttpTimeoutException.class);
		assertThat(server.handshakes()).singleElement()
			.extracting(HandshakeRecord::status)
			.isEqualTo(HandshakeRecord.NO_RESPONSE);

		server.stallHandshakes(false);
		connect(server.uri("/"), new RecordingListener());
		assertThat(server.handshakeCount()).isEqualTo(2);
	}

	@Test
	void hooksReplaceEchoAndServerCanPush() {
		server.onText((connection, text) -> connection.sendText(text.toUpperCase()));
		RecordingListener first = new RecordingListener();
		RecordingListener second = new RecordingListener();
		WebSocket ws = connect(server.uri("/a"), first);
		connect(server.uri("/b"), second);

		ws.sendText("shout", true).join();
		assertThat(first.nextText()).isEqualTo("SHOUT");

		server.broadcastText("news");
		assertThat(first.nextText()).isEqualTo("news");
		assertThat(second.nextText()).isEqualTo("news");

		server.connections().forEach(c -> c.sendPing("srv".getBytes(StandardCharsets.UTF_8)));
		await().atMost(Duration.ofSeconds(5)).until(() -> server.pongsReceived() == 2);
	}

	@Test
	void closeAllSendsACloseFrameWithCodeAndReason() {
		RecordingListener listener = new RecordingListener();
		connect(server.uri("/"), listener);

		server.closeAll(4000, "bye");

		assertThat(await(listener.closed)).isEqualTo(new RecordingListener.Close(4000, "bye"));
		await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().isEmpty());
	}

	@Test
	void clientInitiatedCloseIsAnswered() {
		RecordingListener listener = new RecordingListener();
		WebSocket ws = connect(server.uri("/"), listener);

		ws.sendClose(1000, "done").join();

		assertThat(await(listener.closed).code()).isEqualTo(1000);
		await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().isEmpty());
	}

	@Test
	void abortResetsOneConnection() {
		RecordingListener victim = new RecordingListener();
		RecordingListener bystander = new RecordingListener();
		connect(server.uri("/victim"), victim);
		WebSocket other = connect(server.uri("/other"), bystander);

		server.connections().stream().filter(c -> c.requestUri().equals("/victim")).findFirst().orElseThrow().abort();

		assertThat(await(victim.error)).isInstanceOf(IOException.class);
		other.sendText("still here", true).join();
		assertThat(bystander.nextText()).isEqualTo("still here");
	}

	@Test
	void canStopAnsweringPingsWhileStillEchoing() {
		server.setAnswerPings(false);
		RecordingListener listener = new RecordingListener();
		WebSocket ws = connect(server.uri("/"), listener);

		ws.sendPing(ByteBuffer.wrap(new byte[] { 9 })).join();
		ws.sendText("data", true).join();

		// TCP keeps order: a pong sent before the echo would have arrived before it.
		assertThat(listener.nextText()).isEqualTo("data");
		assertThat(listener.pongs).isEmpty();
		assertThat(server.pingsReceived()).isEqualTo(1);

		server.setAnswerPings(true);
		ws.sendPing(ByteBuffer.wrap(new byte[] { 8 })).join();
		assertThat(listener.nextPong()).containsExactly(8);
	}

	@Test
	void framesAboveTheLimitCloseWith1009() {
		server.close();
		server = TestWebSocketServer.builder().maxFramePayloadLength(1024).start();
		RecordingListener listener = new RecordingListener();
		WebSocket ws = connect(server.uri("/"), listener);

		ws.sendText("x".repeat(100), true).join();
		assertThat(listener.nextText()).hasSize(100);
		ws.sendText("x".repeat(2000), true).join();

		assertThat(await(listener.closed).code()).isEqualTo(1009);
	}

}
