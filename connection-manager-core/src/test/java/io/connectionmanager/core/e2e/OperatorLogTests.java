package io.connectionmanager.core.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Logs an operator can read at any scale: one INFO per connection on the way up, one WARN
 * when it goes down, a periodic summary while it stays down, one INFO on recovery, and
 * never a stack trace for an expected network failure.
 */
class OperatorLogTests {

	private static final int CONNECTIONS = 100;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger("io.connectionmanager");

	/** Where transitions are logged; the test configuration quiets it to ERROR. */
	private final Logger transitions = (Logger) LoggerFactory.getLogger("io.connectionmanager.core.ManagedConnection");

	private Level transitionsLevel;

	@BeforeEach
	void capture() {
		this.appender.start();
		this.logger.addAppender(this.appender);
		this.logger.setLevel(Level.INFO);
		this.transitionsLevel = this.transitions.getLevel();
		this.transitions.setLevel(Level.INFO);
	}

	@AfterEach
	void release() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(null);
		this.transitions.setLevel(this.transitionsLevel);
	}

	private List<ILoggingEvent> events(Level level, String containing) {
		synchronized (this.appender.list) {
			return this.appender.list.stream()
				.filter((event) -> event.getLevel() == level && event.getFormattedMessage().contains(containing))
				.toList();
		}
	}

	@Test
	void aHundredConnectionsThroughAnOutageLogAFewLinesEach() {
		try (ConnectionRuntime runtime = ConnectionRuntime.builder()
			.threads(1)
			.outageSummaryInterval(Duration.ofMillis(300))
			.build(); TestWebSocketServer server = TestWebSocketServer.start()) {
			List<ManagedConnection> connections = new ArrayList<>();
			for (int i = 0; i < CONNECTIONS; i++) {
				ManagedConnection connection = ManagedConnection
					.builder(ConnectionSettings.builder("feed-" + i)
						.url(server.uri("/" + i).toString())
						.heartbeat(HeartbeatSettings.disabled())
						.circuitBreaker(CircuitBreakerSettings.disabled())
						.reconnect(new ReconnectSettings(Duration.ofMillis(20), Duration.ofMillis(50), 2.0, Jitter.FULL,
								-1, Duration.ofSeconds(30)))
						.build())
					.runtime(runtime)
					.build();
				connections.add(connection);
				connection.connect();
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> connections.stream().allMatch((c) -> c.state() == ConnectionState.CONNECTED));
			assertThat(infoOrAbove()).as("lines on the way up").hasSize(CONNECTIONS);

			server.rejectUpgrades(503);
			server.closeAll(1011, "outage");
			// Several failed attempts each, and at least one summary.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> connections.stream().allMatch((c) -> c.snapshot().totalAttempts() >= 5)
						&& !events(Level.WARN, "still down").isEmpty());
			server.acceptUpgrades();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> connections.stream().allMatch((c) -> c.state() == ConnectionState.CONNECTED));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> events(Level.INFO, "CONNECTED again after an outage of").size() == CONNECTIONS);

			assertThat(events(Level.WARN, "is down after CONNECTED")).hasSize(CONNECTIONS);
			List<ILoggingEvent> summaries = events(Level.WARN, "still down");
			assertThat(summaries).isNotEmpty();
			assertThat(summaries.get(0).getFormattedMessage()).contains("and", "more");
			long attempts = connections.stream().mapToLong((c) -> c.snapshot().totalAttempts()).sum();
			assertThat(infoOrAbove().size()).as("lines for %d attempts", attempts)
				.isLessThanOrEqualTo(3 * CONNECTIONS + summaries.size());
			assertThat(this.appender.list).allSatisfy((event) -> assertThat(event.getThrowableProxy())
				.as("stack trace on: %s", event.getFormattedMessage())
				.isNull());
			connections.forEach(ManagedConnection::close);
		}
	}

	private List<ILoggingEvent> infoOrAbove() {
		synchronized (this.appender.list) {
			return this.appender.list.stream()
				.filter((event) -> event.getLevel().isGreaterOrEqual(Level.INFO))
				.filter((event) -> event.getLoggerName().startsWith("io.connectionmanager.core"))
				.toList();
		}
	}

}
