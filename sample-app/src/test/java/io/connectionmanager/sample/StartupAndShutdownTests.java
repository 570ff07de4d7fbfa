package io.connectionmanager.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.sample.feed.FeedStatus;
import io.connectionmanager.sample.feed.SimulatedFeed;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application as started from the command line, against a feed of its own
 * ({@code feed.embedded=false}), with {@code application.yml}'s timings untouched:
 * CONNECTED at start on the first attempt (no failure, no backoff wait; the time it took
 * is logged, typically well under a second, and bounded generously because a busy machine
 * can slow the context's own start-up), and on shutdown (what SIGTERM triggers through
 * the JVM shutdown hook) every connection - the configured one and one defined only by a
 * command-line property - closes with a WebSocket close frame (1001 going away), as the
 * feed sees it.
 */
class StartupAndShutdownTests {

	private static final Log logger = LogFactory.getLog(StartupAndShutdownTests.class);

	@Test
	void connectsOnTheFirstAttemptAtStartAndClosesEveryConnectionWith1001OnShutdown() {
		try (SimulatedFeed feed = SimulatedFeed.start(SimulatedFeed.Options.defaults())) {
			long launched = System.nanoTime();
			ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
					"--server.port=0", "--feed.embedded=false", "--feed.url=" + feed.url(),
					"--connection-manager.connections.probe.url=ws://127.0.0.1:" + feed.port() + "/stream",
					"--connection-manager.connections.probe.critical=false");
			try {
				ManagedConnection marketData = context.getBean("market-data", ManagedConnection.class);
				ManagedConnection probe = context.getBean("probe", ManagedConnection.class);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> marketData.state() == CONNECTED && probe.state() == CONNECTED);
				for (ManagedConnection connection : List.of(marketData, probe)) {
					assertThat(connection.snapshot().totalAttempts()).as(connection.name() + " attempts").isOne();
					assertThat(connection.snapshot().lastFailure()).as(connection.name() + " failure").isNull();
				}
				Instant start = Instant.ofEpochMilli(context.getStartupDate());
				Duration toConnected = Duration.between(start, marketData.snapshot().since());
				logger.info("market-data CONNECTED " + toConnected.toMillis() + " ms after the context started, "
						+ Duration.ofNanos(System.nanoTime() - launched).toMillis() + " ms after launch");
				assertThat(toConnected).isLessThan(Duration.ofSeconds(30));
				await().atMost(Duration.ofSeconds(5)).until(() -> feed.status().subscribed() == 1);
			}
			finally {
				context.close();
			}
			// Both closes as the feed saw them: 1001 (going away), not 1000 (as for
			// disconnect()) nor 1006 (dropped without a close frame).
			await().atMost(Duration.ofSeconds(5)).until(() -> feed.recentCloses().size() >= 2);
			List<FeedStatus.ClientClose> closes = feed.recentCloses();
			assertThat(closes).extracting(FeedStatus.ClientClose::code).containsExactly(1001, 1001);
			assertThat(feed.status().connections()).isZero();
		}
	}

}
