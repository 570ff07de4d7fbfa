package io.connectionmanager.reliability.hostile;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.failure.FailurePolicy;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.reliability.support.Observed;
import io.connectionmanager.reliability.support.Settings;
import io.connectionmanager.reliability.support.StateTimeline;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.connectionmanager.core.state.ConnectionState.CONNECTED;
import static io.connectionmanager.core.state.ConnectionState.FATAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A close code of every class from the server, with the default failure policy: protocol
 * and policy violations (1002, 1003, 1007, 1008) are fatal because reconnecting would
 * only repeat them; everything else - including a normal closure, which for a client
 * meant to stay connected is still a loss - is retried. 1006 cannot be sent in a frame:
 * it is what the client reports when TCP ends without one, here by an RST.
 */
class CloseCodeClassificationTests {

	private static final ConnectionRuntime runtime = ConnectionRuntime.create(1);

	private static final TestWebSocketServer server = TestWebSocketServer.start();

	@AfterAll
	static void release() {
		server.close();
		runtime.close();
	}

	@ParameterizedTest(name = "close {0} -> {1}, fatal={2}")
	@CsvSource({ "1000, CLOSED_BY_PEER, false", "1001, CLOSED_BY_PEER, false", "1002, CLOSED_BY_PEER, true",
			"1003, CLOSED_BY_PEER, true", "1006, CONNECTION_LOST, false", "1007, CLOSED_BY_PEER, true",
			"1008, CLOSED_BY_PEER, true", "1009, CLOSED_BY_PEER, false", "1011, CLOSED_BY_PEER, false",
			"1012, CLOSED_BY_PEER, false", "1013, CLOSED_BY_PEER, false", "4000, CLOSED_BY_PEER, false",
			"4999, CLOSED_BY_PEER, false" })
	void eachCloseCodeIsClassified(int code, FailureKind kind, boolean fatal) {
		Failure failure = closedWith(code, Settings.fast("closed-" + code, server.uri("/close")).build());
		assertThat(failure.kind()).as(failure.describe()).isEqualTo(kind);
		assertThat(failure.fatal()).as("fatal").isEqualTo(fatal);
		assertThat(failure.closeCode()).isEqualTo((kind == FailureKind.CLOSED_BY_PEER) ? Integer.valueOf(code) : null);
	}

	@Test
	void applicationCodesCanBeMadeFatalByConfiguration() {
		Set<Integer> fatalCodes = new HashSet<>(FailurePolicy.defaults().fatalCloseCodes());
		fatalCodes.add(4999);
		FailurePolicy policy = new FailurePolicy(FailurePolicy.defaults().fatalKinds(),
				FailurePolicy.defaults().fatalHttpStatuses(), fatalCodes);
		Failure failure = closedWith(4999,
				Settings.fast("closed-4999-fatal", server.uri("/close")).failurePolicy(policy).build());
		assertThat(failure.kind()).isEqualTo(FailureKind.CLOSED_BY_PEER);
		assertThat(failure.fatal()).isTrue();
	}

	/**
	 * Connects, has the server close with {@code code}, checks the outcome matches the
	 * verdict, returns it.
	 */
	private static Failure closedWith(int code, ConnectionSettings settings) {
		try (Observed observed = Observed.connect(runtime, settings)) {
			StateTimeline.awaitState(observed.connection(), CONNECTED);
			long closedAt = System.nanoTime();
			String path = "/close";
			server.connections()
				.stream()
				.filter((connection) -> connection.requestUri().equals(path))
				.forEach((connection) -> {
					if (code == 1006) {
						connection.abort();
					}
					else {
						connection.close(code, "test " + code).join();
					}
				});
			await().atMost(Duration.ofSeconds(10))
				.until(() -> observed.timeline().firstLossAfter(closedAt).isPresent());
			Failure failure = observed.timeline().firstLossAfter(closedAt).orElseThrow().change().cause();
			if (failure.fatal()) {
				StateTimeline.awaitState(observed.connection(), FATAL);
				// FATAL is terminal: no further attempt reaches the server.
				int handshakes = server.handshakeCount();
				await().during(Duration.ofMillis(400))
					.atMost(Duration.ofSeconds(2))
					.until(() -> server.handshakeCount() == handshakes);
			}
			else {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> observed.timeline().firstConnectedAfter(closedAt).isPresent());
			}
			return failure;
		}
	}

}
