package io.connectionmanager.core.internal.heartbeat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.testing.VirtualTimeExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatMonitorTests {

	private static final Duration INTERVAL = Duration.ofSeconds(15);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final VirtualTimeExecutor executor = new VirtualTimeExecutor();

	private final AtomicInteger pings = new AtomicInteger();

	private final AtomicInteger deaths = new AtomicInteger();

	private long lastPingNanos;

	private HeartbeatMonitor monitor;

	@BeforeEach
	void start() {
		this.monitor = new HeartbeatMonitor(new HeartbeatSettings(true, INTERVAL, TIMEOUT), this.executor,
				this.deaths::incrementAndGet);
		this.monitor.start(() -> {
			this.pings.incrementAndGet();
			this.lastPingNanos = this.executor.nanoTime();
			return true;
		});
	}

	@Test
	void pingsAfterAnIdleIntervalAndDeclaresASilentPeerDeadAfterTheTimeout() {
		this.executor.advance(INTERVAL.minusMillis(1));
		assertThat(this.pings).hasValue(0);
		this.executor.advance(Duration.ofMillis(1));
		assertThat(this.pings).hasValue(1);
		this.executor.advance(TIMEOUT.minusMillis(1));
		assertThat(this.deaths).hasValue(0);
		this.executor.advance(Duration.ofMillis(1));
		assertThat(this.deaths).hasValue(1);
	}

	@Test
	void aPeerAnsweringEveryPingStaysAliveAndTheRoundTripIsMeasured() {
		int answered = 0;
		long lastRoundTripNanos = 0;
		for (int step = 0; step < 1200; step++) {
			this.executor.advance(Duration.ofMillis(100));
			if (this.pings.get() > answered) {
				answered = this.pings.get();
				this.executor.advance(Duration.ofMillis(42));
				this.monitor.onPong();
				lastRoundTripNanos = this.executor.nanoTime() - this.lastPingNanos;
			}
		}
		assertThat(this.deaths).hasValue(0);
		assertThat(answered).isGreaterThanOrEqualTo(7);
		assertThat(this.monitor.lastRoundTrip()).isEqualTo(Duration.ofNanos(lastRoundTripNanos));
		assertThat(this.monitor.lastRoundTrip()).isBetween(Duration.ofMillis(42), Duration.ofMillis(142));
	}

	@Test
	void aPeerThatStopsAnsweringIsDeadOneTimeoutAfterTheUnansweredPing() {
		this.executor.advance(INTERVAL);
		this.monitor.onPong();
		this.executor.advance(INTERVAL);
		assertThat(this.pings).hasValue(2);
		this.executor.advance(TIMEOUT);
		assertThat(this.deaths).hasValue(1);
	}

	@Test
	void anyInboundTrafficCountsAsAnAnswer() {
		this.executor.advance(INTERVAL.plusSeconds(1));
		this.monitor.onInbound();
		this.executor.advance(TIMEOUT);
		assertThat(this.deaths).hasValue(0);
	}

	@Test
	void steadyTrafficBothWaysNeedsNoPing() {
		for (int second = 0; second < 120; second++) {
			this.executor.advance(Duration.ofSeconds(1));
			this.monitor.onSent();
			this.monitor.onInbound();
		}
		assertThat(this.pings).hasValue(0);
		assertThat(this.deaths).hasValue(0);
	}

	@Test
	void aBusySenderWithASilentPeerIsStillDetected() {
		// A half-open connection: our writes keep succeeding into the socket buffer,
		// nothing comes back.
		for (int second = 0; second < 60 && this.deaths.get() == 0; second++) {
			this.executor.advance(Duration.ofSeconds(1));
			this.monitor.onSent();
		}
		assertThat(this.pings).hasValue(1);
		assertThat(this.deaths).hasValue(1);
		assertThat(this.executor.nanoTime()).isLessThanOrEqualTo(INTERVAL.plus(TIMEOUT).toNanos());
	}

	@Test
	void detectionNeverExceedsIntervalPlusTimeoutAfterTheLastSignOfLife() {
		this.executor.advance(Duration.ofSeconds(7));
		this.monitor.onInbound();
		long lastSignOfLife = this.executor.nanoTime();
		while (this.deaths.get() == 0) {
			this.executor.advance(Duration.ofMillis(100));
		}
		assertThat(this.executor.nanoTime() - lastSignOfLife).isLessThanOrEqualTo(INTERVAL.plus(TIMEOUT).toNanos());
	}

	@Test
	void stopCancelsTheTimer() {
		this.monitor.stop();
		this.executor.advance(INTERVAL.plus(TIMEOUT).multipliedBy(2));
		assertThat(this.pings).hasValue(0);
		assertThat(this.deaths).hasValue(0);
		assertThat(this.executor.scheduledTimers()).isZero();
	}

}
