package io.connectionmanager.sample;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.state.ConnectionSnapshot;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import io.connectionmanager.sample.feed.SimulatedFeed;
import io.connectionmanager.sample.market.PriceBoard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each misbehaviour of the embedded feed, triggered through the same {@code POST
 * /feed/{action}} the dashboard's buttons use, and the recovery of the
 * {@code market-data} connection: real sockets on loopback, real time. After every
 * recovery the ticks continue from the last one the application received: none lost, none
 * twice.
 */
@SampleAppTest
class MarketDataRecoveryTests {

	private static final String MARKET_DATA = "market-data";

	@Autowired
	@Qualifier(MARKET_DATA)
	private ManagedConnection marketData;

	@Autowired
	private SimulatedFeed feed;

	@Autowired
	private PriceBoard board;

	@Autowired
	private TransitionRecorder recorder;

	@LocalServerPort
	private int port;

	private Api api;

	private PriceBoard.Snapshot before;

	@BeforeEach
	void connectedAndStreaming() {
		this.api = new Api(this.port);
		this.feed.restore();
		if (this.marketData.state() != CONNECTED) {
			this.marketData.reconnect();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.marketData.state() == CONNECTED);
		long last = this.board.lastSequence();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.board.lastSequence() > last);
		this.recorder.clear();
		this.before = this.board.snapshot();
	}

	@AfterEach
	void restore() {
		this.feed.restore();
	}

	@Test
	void dropReconnectsAndResumes() {
		feed("drop");

		await().atMost(Duration.ofSeconds(5))
			.until(() -> !this.recorder.into(MARKET_DATA, RECONNECTING, FailureKind.CONNECTION_LOST).isEmpty());
		awaitRecoveryWithoutLossOrDuplicates();
	}

	@Test
	void freezeIsDetectedByTheHeartbeatThenReconnects() {
		feed("freeze");

		// Heartbeat 1s + timeout 1s in these tests: the frozen feed keeps the socket
		// open, only the ping notices.
		await().atMost(Duration.ofSeconds(6))
			.until(() -> !this.recorder.into(MARKET_DATA, RECONNECTING, FailureKind.HEARTBEAT_TIMEOUT).isEmpty());
		assertThat(this.recorder.heartbeatsMissed(MARKET_DATA)).isNotEmpty();
		assertThat(this.feed.status().frozen()).as("the frozen socket is still open on the feed's side").isOne();
		awaitRecoveryWithoutLossOrDuplicates();
	}

	@Test
	void upgradeRejectedWith503IsRetriedAndRecoversWhenRestored() {
		feed("reject-upgrades");

		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.recorder
				.matching(MARKET_DATA,
						(e) -> e.getCurrent() == RECONNECTING && e.getCause() != null
								&& e.getCause().kind() == FailureKind.UPGRADE_REJECTED
								&& Integer.valueOf(503).equals(e.getCause().httpStatus()))
				.size() >= 3);
		assertThat(this.recorder.reached(MARKET_DATA, FATAL)).as("503 is retryable").isFalse();
		assertThat(this.recorder.matching(MARKET_DATA, (e) -> e.getRetryIn() != null))
			.as("every retry is scheduled with a backoff delay")
			.isNotEmpty();

		// outbound.when-disconnected=buffer: a send while down is held, then flushed
		// after re-authentication.
		CompletableFuture<Void> sent = this.marketData.send("{\"type\":\"ping\",\"id\":424242}");
		assertThat(this.marketData.snapshot().buffered()).isEqualTo(1);

		feed("restore");
		awaitRecoveryWithoutLossOrDuplicates();
		await().atMost(Duration.ofSeconds(5)).until(sent::isDone);
		assertThat(sent).isCompletedWithValue(null);
		assertThat(this.marketData.snapshot().buffered()).isZero();
	}

	@Test
	void rejectedAuthenticationIsFatalUntilReconnectedThroughTheActuatorEndpoint() {
		feed("reject-auth");

		await().atMost(Duration.ofSeconds(5)).until(() -> this.marketData.state() == FATAL);
		// Events are published on the connection's listener lane, a moment after the
		// state.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(
					() -> assertThat(this.recorder.into(MARKET_DATA, FATAL, FailureKind.AUTH_REJECTED)).hasSize(1));
		long attempts = this.marketData.snapshot().totalAttempts();
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(3))
			.until(() -> this.marketData.state() == FATAL && this.marketData.snapshot().totalAttempts() == attempts);
		Map<String, Object> health = this.api.get("/actuator/health").getBody();
		assertThat(Api.at(health, "status")).isEqualTo("DOWN");
		assertThat(Api.at(health, "components.connections.components.market-data.details.state")).isEqualTo("FATAL");

		feed("restore");
		assertThat(this.marketData.state()).as("FATAL does not retry by itself").isEqualTo(FATAL);
		assertThat(this.api.post("/actuator/connections/" + MARKET_DATA, Map.of("action", "reconnect"))
			.getStatusCode()
			.is2xxSuccessful()).isTrue();
		awaitRecoveryWithoutLossOrDuplicates();
		assertThat(Api.at(this.api.get("/actuator/health").getBody(), "status")).isEqualTo("UP");
	}

	@Test
	void restartClosesWith1012AndTheConnectionComesBackOnTheSamePort() {
		int port = this.feed.port();
		feed("restart");

		await().atMost(Duration.ofSeconds(5))
			.until(() -> !this.recorder
				.matching(MARKET_DATA,
						(e) -> e.getCurrent() == RECONNECTING && e.getCause() != null
								&& Integer.valueOf(1012).equals(e.getCause().closeCode()))
				.isEmpty());
		awaitRecoveryWithoutLossOrDuplicates();
		assertThat(this.feed.port()).isEqualTo(port);
	}

	private void feed(String action) {
		assertThat(this.api.post("/feed/" + action).getStatusCode().is2xxSuccessful()).as("POST /feed/" + action)
			.isTrue();
	}

	/**
	 * CONNECTED again, the subscription resumed after the last tick received before the
	 * failure, and ticks flow on with no duplicate and no gap reaching the application.
	 */
	private void awaitRecoveryWithoutLossOrDuplicates() {
		await().atMost(Duration.ofSeconds(15)).until(() -> this.marketData.state() == CONNECTED);
		long resumedAfter = this.before.lastSequence();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.board.lastSequence() > resumedAfter + 20);
		PriceBoard.Snapshot after = this.board.snapshot();
		assertThat(after.subscriptions()).isGreaterThan(this.before.subscriptions());
		assertThat(after.lastSubscription().from()).as("resumed from a position at or after the last one seen")
			.isNotNull()
			.isGreaterThanOrEqualTo(resumedAfter);
		assertThat(after.duplicates() - this.before.duplicates()).as("duplicates reaching the application").isZero();
		assertThat(after.gaps() - this.before.gaps()).as("gaps reaching the application").isZero();
		assertThat(after.ticks() - this.before.ticks()).as("every sequence number in between, once")
			.isEqualTo(after.lastSequence() - resumedAfter);
		ConnectionSnapshot snapshot = this.marketData.snapshot();
		assertThat(snapshot.gaps()).isZero();
		assertThat(this.recorder.transitions(MARKET_DATA)).extracting(ConnectionStateChangedEvent::getCurrent)
			.endsWith(CONNECTED);
	}

}
