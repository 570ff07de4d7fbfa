package io.connectionmanager.sample;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.sample.market.PriceBoard;
import io.connectionmanager.test.kit.AutoConfigureConnectionManagerServer;
import io.connectionmanager.test.kit.EventRecorder;
import io.connectionmanager.test.kit.ScriptedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.connectionmanager.core.failure.FailureKind.CONNECTION_LOST;
import static io.connectionmanager.core.failure.FailureKind.HEARTBEAT_TIMEOUT;
import static io.connectionmanager.core.failure.FailureKind.UPGRADE_REJECTED;
import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static io.connectionmanager.core.state.ConnectionState.RECONNECTING;
import static io.connectionmanager.test.kit.ConnectionManagerAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's {@code MarketDataHandler} against a feed scripted with the test kit, as a
 * user would test their own handler: no embedded feed, the {@code market-data} connection
 * pointed at a {@link ScriptedServer} that plays the exchange's protocol.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE,
		properties = { "feed.embedded=false", "connection-manager.connections.market-data.heartbeat.interval=300ms",
				"connection-manager.connections.market-data.heartbeat.timeout=700ms",
				"connection-manager.connections.market-data.reconnect.initial-delay=100ms",
				"connection-manager.connections.market-data.reconnect.max-delay=300ms",
				"connection-manager.connections.market-data.circuit-breaker.enabled=false" })
@AutoConfigureConnectionManagerServer(connection = "market-data", path = "/stream")
class MarketDataHandlerKitTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Autowired
	private ScriptedServer exchange;

	@Autowired
	@Qualifier("market-data")
	private ManagedConnection marketData;

	@Autowired
	private PriceBoard board;

	@BeforeEach
	void playTheExchange() {
		this.exchange.accept().unfreeze().respond(MarketDataHandlerKitTests::answer);
		if (this.marketData.state() == FATAL) {
			this.marketData.connect();
		}
		assertThat(this.marketData).reaches(CONNECTED).within(WAIT);
	}

	@AfterEach
	void reset() {
		this.exchange.accept().unfreeze();
	}

	@Test
	void authenticatesSubscribesAndAppliesTicks() {
		assertThat(this.exchange.received())
			.anyMatch((m) -> m.contains("\"type\":\"auth\"") && m.contains("demo-token"))
			.anyMatch((m) -> m.contains("\"type\":\"subscribe\""));
		long before = this.board.snapshot().ticks();
		this.exchange.send("{\"type\":\"tick\",\"seq\":" + (this.board.lastSequence() + 1)
				+ ",\"symbol\":\"ACME\",\"price\":12.5}");
		await().atMost(WAIT).until(() -> this.board.snapshot().ticks() == before + 1);
	}

	@Test
	void dropReconnectsAndResubscribesFromTheLastTick() {
		long seq = this.board.lastSequence() + 1;
		this.exchange.send("{\"type\":\"tick\",\"seq\":" + seq + ",\"symbol\":\"ACME\",\"price\":13}");
		await().atMost(WAIT).until(() -> this.board.lastSequence() == seq);
		EventRecorder events = EventRecorder.attachTo(this.marketData);
		int seen = this.exchange.received().size();
		this.exchange.drop();
		assertThat(events).within(WAIT)
			.eventuallyPassedThrough(RECONNECTING, CONNECTED)
			.eventuallySawFailure(CONNECTION_LOST);
		await().atMost(WAIT)
			.until(() -> this.exchange.received()
				.stream()
				.skip(seen)
				.anyMatch((m) -> m.contains("\"type\":\"subscribe\"") && m.contains("\"from\":" + seq)));
	}

	@Test
	void frozenExchangeIsDetectedByTheHandlersPings() {
		EventRecorder events = EventRecorder.attachTo(this.marketData);
		this.exchange.freeze();
		assertThat(events).within(WAIT).eventuallyMissedHeartbeat().eventuallySawFailure(HEARTBEAT_TIMEOUT);
		this.exchange.unfreeze();
		assertThat(this.marketData).reaches(CONNECTED).within(WAIT);
	}

	@Test
	void rejectedUpgradeIsFatal() {
		EventRecorder events = EventRecorder.attachTo(this.marketData);
		this.exchange.reject(401).drop();
		assertThat(this.marketData).reaches(FATAL).within(WAIT);
		assertThat(events).eventuallySawFailure(UPGRADE_REJECTED);
	}

	/** The exchange's side of MarketDataHandler's protocol. */
	private static String answer(String message) {
		if (message.contains("\"type\":\"auth\"")) {
			return "{\"type\":\"auth-ok\"}";
		}
		if (message.contains("\"type\":\"subscribe\"")) {
			return "{\"type\":\"subscribed\",\"replayed\":0,\"latest\":0}";
		}
		if (message.startsWith("{\"type\":\"ping\"")) {
			return "{\"type\":\"pong\"}";
		}
		return null;
	}

}
