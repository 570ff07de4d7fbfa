package io.connectionmanager.core.engine;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.testing.RecordingListener;
import io.connectionmanager.core.testing.ScriptedTransport;
import io.connectionmanager.core.testing.VirtualTimeExecutor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jitter survives the breaker: while breakers are open, their probes are spread
 * ({@code circuit-breaker.randomized-wait-factor}), so a fleet that failed together does
 * not return together.
 */
class BreakerProbeSpreadTests {

	private static final Duration WAIT = Duration.ofSeconds(2);

	private final VirtualTimeExecutor executor = new VirtualTimeExecutor();

	private ManagedConnection failingConnection(String name, ScriptedTransport transport, RecordingListener listener,
			double randomizedWaitFactor) {
		ConnectionSettings settings = ConnectionSettings.builder(name)
			.url("ws://127.0.0.1:9/" + name)
			.heartbeat(HeartbeatSettings.disabled())
			.reconnect(new ReconnectSettings(Duration.ofMillis(10), Duration.ofMillis(10), 1.0, Jitter.NONE, -1,
					Duration.ofSeconds(30)))
			.circuitBreaker(new CircuitBreakerSettings(true, 50, 2, 2, WAIT, 1, randomizedWaitFactor))
			.build();
		return ManagedConnection.builder(settings)
			.executor(this.executor)
			.transport(transport)
			.handler(ConnectionHandler.NONE)
			.listener(listener)
			.build();
	}

	/**
	 * Fails every attempt as soon as it is made, for {@code duration} of virtual time.
	 */
	private void failEveryAttemptFor(List<ScriptedTransport> transports, Duration duration) {
		long steps = duration.toMillis();
		int[] failed = new int[transports.size()];
		for (long step = 0; step < steps; step++) {
			this.executor.runPending();
			for (int i = 0; i < transports.size(); i++) {
				List<ScriptedTransport.Attempt> attempts = transports.get(i).attempts();
				while (failed[i] < attempts.size()) {
					attempts.get(failed[i]++).fail(new ConnectException("Connection refused"));
				}
			}
			this.executor.runPending();
			this.executor.advance(Duration.ofMillis(1));
		}
	}

	private static List<Long> probeTimesMillis(RecordingListener listener) {
		return listener.changes.stream()
			.filter((change) -> change.trigger() == Trigger.CIRCUIT_HALF_OPEN)
			.map((change) -> change.timestamp().toEpochMilli())
			.toList();
	}

	@Test
	void twoHundredBreakersThatOpenTogetherSpreadTheirProbes() {
		List<ScriptedTransport> transports = new ArrayList<>();
		List<RecordingListener> listeners = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			ScriptedTransport transport = new ScriptedTransport();
			RecordingListener listener = new RecordingListener();
			transports.add(transport);
			listeners.add(listener);
			failingConnection("feed-" + i, transport, listener, CircuitBreakerSettings.DEFAULT_RANDOMIZED_WAIT_FACTOR)
				.connect();
		}
		failEveryAttemptFor(transports, Duration.ofSeconds(4));

		List<Long> firstProbes = listeners.stream()
			.map(BreakerProbeSpreadTests::probeTimesMillis)
			.map((t) -> t.get(0))
			.toList();
		long earliest = firstProbes.stream().mapToLong(Long::longValue).min().orElseThrow();
		Map<Long, Integer> buckets = new TreeMap<>();
		firstProbes.forEach((time) -> buckets.merge((time - earliest) / 100, 1, Integer::sum));
		io.connectionmanager.core.testing.Measurements.record("breaker-probe-spread",
				Map.of("connections", 200, "buckets", buckets.size(), "largestBucket",
						buckets.values().stream().mapToInt(Integer::intValue).max().orElseThrow()));
		assertThat(buckets).as("probes per 100 ms bucket").hasSizeGreaterThanOrEqualTo(8);
		assertThat(buckets.values()).allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(60));
	}

	@Test
	void withoutSpreadTheyProbeInLockstep() {
		List<ScriptedTransport> transports = new ArrayList<>();
		List<RecordingListener> listeners = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			ScriptedTransport transport = new ScriptedTransport();
			RecordingListener listener = new RecordingListener();
			transports.add(transport);
			listeners.add(listener);
			failingConnection("feed-" + i, transport, listener, 0).connect();
		}
		failEveryAttemptFor(transports, Duration.ofSeconds(4));
		long distinctBuckets = listeners.stream()
			.map((listener) -> probeTimesMillis(listener).get(0) / 100)
			.distinct()
			.count();
		assertThat(distinctBuckets).isEqualTo(1);
	}

	@Test
	void oneConnectionsProbeGapsVary() {
		ScriptedTransport transport = new ScriptedTransport();
		RecordingListener listener = new RecordingListener();
		failingConnection("feed", transport, listener, CircuitBreakerSettings.DEFAULT_RANDOMIZED_WAIT_FACTOR).connect();
		failEveryAttemptFor(List.of(transport), Duration.ofSeconds(90));
		List<Long> probes = probeTimesMillis(listener);
		assertThat(probes).hasSizeGreaterThanOrEqualTo(30);
		List<Long> gaps = new ArrayList<>();
		for (int i = 1; i < probes.size(); i++) {
			gaps.add(probes.get(i) - probes.get(i - 1));
		}
		double mean = gaps.stream().mapToLong(Long::longValue).average().orElseThrow();
		double variance = gaps.stream().mapToDouble((gap) -> (gap - mean) * (gap - mean)).average().orElseThrow();
		double coefficientOfVariation = Math.sqrt(variance) / mean;
		assertThat(coefficientOfVariation).isGreaterThan(0.1);
		// Every gap stays within wait × (1 ± 0.5) plus the failed probe's own backoff.
		assertThat(gaps)
			.allSatisfy((gap) -> assertThat(gap).isBetween(WAIT.toMillis() / 2, WAIT.toMillis() * 3 / 2 + 50));
	}

}
