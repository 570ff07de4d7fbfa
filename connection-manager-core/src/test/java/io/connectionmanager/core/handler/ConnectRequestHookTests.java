package io.connectionmanager.core.handler;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.connectionmanager.core.handler.ConnectRequestFailedException;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.testing.TestSettings;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.test.server.HandshakeRecord;
import io.connectionmanager.test.server.ServerConnection;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The handler's connect request hook runs before every attempt, may complete later, and
 * may change the whole URI and the headers; what it returns is never shown beyond
 * scheme://host:port, and its failure is a classified, retryable (or fatal) failure.
 */
class ConnectRequestHookTests {

	private final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	private final TestWebSocketServer server = TestWebSocketServer.start();

	private final RecordingListener listener = new RecordingListener();

	private final List<String> hookThreads = new CopyOnWriteArrayList<>();

	private ManagedConnection connection;

	@AfterEach
	void close() {
		if (this.connection != null) {
			this.connection.close();
		}
		this.server.close();
		this.runtime.close();
	}

	@Test
	void aServerThatAcceptsOnlyTheNewestTokenSeesAFreshOneOnEveryAttempt() {
		AtomicInteger issued = new AtomicInteger();
		// The token service: issuing a token revokes every earlier one at the server.
		start((planned) -> {
			this.hookThreads.add(Thread.currentThread().getName());
			return CompletableFuture.supplyAsync(() -> {
				String token = "t" + issued.incrementAndGet();
				this.server.requireHeader("Authorization", "Bearer " + token);
				return planned.withUri(URI.create(planned.uri() + "/listen-key-" + token))
					.withHeader("Authorization", "Bearer " + token);
			}, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
		});
		for (int session = 1; session <= 6; session++) {
			int expected = session;
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.connection.state() == ConnectionState.CONNECTED && issued.get() == expected);
			this.server.connections().forEach(ServerConnection::abort);
		}
		List<HandshakeRecord> handshakes = this.server.handshakes();
		assertThat(handshakes).hasSizeGreaterThanOrEqualTo(6);
		for (int i = 0; i < 6; i++) {
			assertThat(handshakes.get(i).header("Authorization")).isEqualTo("Bearer t" + (i + 1));
			assertThat(handshakes.get(i).uri()).isEqualTo("/feed/listen-key-t" + (i + 1));
			assertThat(handshakes.get(i).upgraded()).isTrue();
		}
		assertThat(this.hookThreads).allSatisfy((name) -> assertThat(name).startsWith("connection-manager-handler"));
	}

	@Test
	void whatTheHookReturnsIsNeverShownBeyondSchemeHostAndPort() {
		ListAppender<ILoggingEvent> logs = new ListAppender<>();
		Logger logger = (Logger) LoggerFactory.getLogger("io.connectionmanager");
		logs.start();
		logger.addAppender(logs);
		logger.setLevel(Level.DEBUG);
		try {
			this.server.rejectUpgrades(503);
			start((planned) -> CompletableFuture
				.completedFuture(planned.withUri(URI.create(planned.uri() + "/SECRET-PATH?key=SECRET-QUERY"))
					.withHeader("X-Api-Key", "SECRET-HEADER")));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.server.handshakeCount() >= 3);
			assertThat(this.server.handshakes().get(0).header("X-Api-Key")).isEqualTo("SECRET-HEADER");
			String shown = this.connection.snapshot() + " " + this.listener.changes + " "
					+ logs.list.stream()
						.map((event) -> event.getFormattedMessage() + " " + event.getThrowableProxy())
						.toList();
			assertThat(shown).contains("UPGRADE_REJECTED").doesNotContain("SECRET");
		}
		finally {
			logger.detachAppender(logs);
			logger.setLevel(null);
		}
		ConnectRequest request = new ConnectRequest(URI.create("wss://feed.example.com:8443/a/SECRET?k=SECRET"),
				java.util.Map.of("Authorization", "SECRET"), Duration.ofSeconds(1));
		assertThat(request.toString()).contains("wss://feed.example.com:8443").doesNotContain("SECRET");
	}

	@Test
	void aFailingHookIsARetryableFailureUnlessItSaysItIsFatal() {
		AtomicInteger calls = new AtomicInteger();
		start((planned) -> switch (calls.incrementAndGet()) {
			case 1 -> CompletableFuture.failedFuture(new IOException("token service unavailable"));
			case 2 -> throw new IllegalStateException("token service broken");
			case 3 -> CompletableFuture.completedFuture(planned);
			default -> CompletableFuture.failedFuture(new ConnectRequestFailedException("account disabled", true));
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connection.state() == ConnectionState.CONNECTED);
		List<StateChange> failures = this.listener.changes.stream()
			.filter((change) -> change.current() == ConnectionState.RECONNECTING)
			.toList();
		assertThat(failures).hasSize(2).allSatisfy((change) -> {
			assertThat(change.cause().kind()).isEqualTo(FailureKind.CONNECT_REQUEST);
			assertThat(change.cause().fatal()).isFalse();
		});
		assertThat(failures.get(0).cause().message()).contains("token service unavailable");

		this.server.connections().forEach(ServerConnection::abort);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connection.state() == ConnectionState.FATAL);
		assertThat(this.connection.snapshot().lastFailure().kind()).isEqualTo(FailureKind.CONNECT_REQUEST);
		assertThat(this.connection.snapshot().lastFailure().message()).contains("account disabled");
		assertThat(this.server.handshakeCount()).isEqualTo(1);
	}

	@Test
	void aHookThatChangesTheSchemeIsFatal() {
		start((planned) -> CompletableFuture
			.completedFuture(planned.withUri(URI.create("wss://127.0.0.1:" + this.server.port() + "/feed"))));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.connection.state() == ConnectionState.FATAL);
		assertThat(this.connection.snapshot().lastFailure().message()).contains("must keep the configured scheme ws");
		assertThat(this.server.handshakeCount()).isZero();
	}

	private void start(Hook hook) {
		this.connection = ManagedConnection
			.builder(
					TestSettings
						.quickReconnect("token-feed", this.server.uri("/feed").toString(), Duration.ofMillis(10),
								Duration.ofMillis(40))
						.build())
			.runtime(this.runtime)
			.handler(new ConnectionHandler() {
				@Override
				public CompletionStage<ConnectRequest> connectRequest(ConnectRequest planned) {
					return hook.apply(planned);
				}
			})
			.listener(this.listener)
			.build();
		this.connection.connect();
	}

	@FunctionalInterface
	private interface Hook {

		CompletionStage<ConnectRequest> apply(ConnectRequest planned);

	}

}
