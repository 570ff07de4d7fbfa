package io.connectionmanager.reliability.soak;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.reliability.support.Settings;
import io.connectionmanager.reliability.support.StateTimeline;
import io.connectionmanager.reliability.support.StreamCollector;
import io.connectionmanager.test.proxy.FaultInjectingProxy;
import io.connectionmanager.test.server.SequencedStreamServer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A numbered stream (2,000 messages a second) through a fault-injecting proxy to a
 * resuming connection, while a seeded random schedule kills, resets, blackholes, freezes,
 * 503s and slows it, one fault at a time, for {@code -Dsoak.minutes} (default 2). Every
 * number must arrive exactly once and in order, every fault must be noticed and recovered
 * from, and threads and heap must come back to their baseline. The seed is logged; replay
 * a run with {@code -Dsoak.seed=N}. Results go to {@code target/soak-summary.json}.
 */
class SoakTest {

	private static final Logger logger = LoggerFactory.getLogger(SoakTest.class);

	private static final int BATCH = 10;

	private static final long PAUSE_MICROS = 5_000;

	private static final long MESSAGES_PER_SECOND = BATCH * 1_000_000 / PAUSE_MICROS;

	private static final long HEARTBEAT_INTERVAL_MILLIS = 500;

	private static final long HEARTBEAT_TIMEOUT_MILLIS = 500;

	/**
	 * Timer and scheduling slack on a shared 2-core machine, on top of interval +
	 * timeout.
	 */
	private static final long DETECTION_SLACK_MILLIS = 500;

	private static final int THREAD_MARGIN = 2;

	private static final long HEAP_MARGIN_BYTES = 8L * 1024 * 1024;

	@Test
	void aNumberedStreamSurvivesARandomFaultScheduleExactlyOnceWithoutLeaking() {
		double minutes = Double.parseDouble(System.getProperty("soak.minutes", "2"));
		String seedProperty = System.getProperty("soak.seed", "");
		long seed = seedProperty.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(seedProperty.trim());
		long soakNanos = (long) (minutes * 60e9);
		// Faults keep the stream down part of the time: size it to finish around the end
		// of the schedule.
		long total = (long) (MESSAGES_PER_SECOND * minutes * 60 * 0.6);
		logger.info("Soak: {} minute(s), {} messages, seed {} (replay with -Dsoak.seed={})", minutes, total, seed,
				seed);

		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				(task) -> new Thread(task, "soak-faults"));
		scheduler.prestartAllCoreThreads();
		StreamCollector collector = new StreamCollector(total);
		StateTimeline timeline = new StateTimeline();
		try (ConnectionRuntime runtime = ConnectionRuntime.create(2);
				SequencedStreamServer server = SequencedStreamServer.start(total, BATCH, PAUSE_MICROS);
				FaultInjectingProxy proxy = FaultInjectingProxy.start(server.server().port())) {
			ManagedConnection connection = ManagedConnection.builder(settings(proxy))
				.runtime(runtime)
				.handler(collector)
				.listener(timeline)
				.random(new Random(seed))
				.build();
			connection.connect();
			await().atMost(Duration.ofSeconds(30)).until(() -> collector.received() >= 2_000);

			int threadsBefore = liveThreads();
			long heapBefore = heapAfterGc();
			long directBefore = directMemory();

			FaultSchedule schedule = new FaultSchedule(new Random(seed), System.nanoTime() + soakNanos, connection,
					timeline, server.server(), proxy, scheduler);
			List<FaultRecord> records = schedule.start()
				.orTimeout(soakNanos + TimeUnit.MINUTES.toNanos(3), TimeUnit.NANOSECONDS)
				.join();
			proxy.heal();
			await().pollInSameThread().atMost(Duration.ofMinutes(3)).until(() -> collector.received() >= total);
			assertThat(connection.state()).isEqualTo(ConnectionState.CONNECTED);

			// Transient threads (a closing channel, a finished await) get a moment to end
			// before counting.
			await().pollInSameThread()
				.atMost(Duration.ofSeconds(10))
				.until(() -> liveThreads() <= threadsBefore + THREAD_MARGIN);
			int threadsAfter = liveThreads();
			long heapAfter = heapAfterGc();
			long directAfter = directMemory();

			SoakSummary summary = new SoakSummary().put("seed", seed)
				.put("minutes", minutes)
				.put("sent", total)
				.put("received", collector.received())
				.put("lost", collector.lost(total))
				.put("duplicated", collector.duplicated())
				.put("reordered", collector.reordered())
				.put("duplicates_dropped_by_resume", connection.snapshot().duplicatesDropped())
				.put("faults", records.size())
				.put("recovered", records.stream().filter(FaultRecord::recovered).count())
				.put("threads_before", threadsBefore)
				.put("threads_after", threadsAfter)
				.put("heap_before", heapBefore)
				.put("heap_after", heapAfter)
				.put("direct_before", directBefore)
				.put("direct_after", directAfter)
				.put("heartbeat",
						"interval " + HEARTBEAT_INTERVAL_MILLIS + "ms, timeout " + HEARTBEAT_TIMEOUT_MILLIS + "ms")
				.perFault(records);
			summary.write(Path.of(System.getProperty("soak.summary", "target/soak-summary.json")));
			logger.info("Soak summary:\n{}", summary);

			assertThat(collector.lost(total)).as("lost").isZero();
			assertThat(collector.duplicated()).as("duplicated").isZero();
			assertThat(collector.reordered()).as("reordered").isZero();
			assertThat(collector.received()).as("received").isEqualTo(total);
			assertThat(records).as("faults").hasSizeGreaterThanOrEqualTo((int) (minutes * 6));
			assertThat(records).as("every fault recovered").allMatch(FaultRecord::recovered);
			assertThat(records).filteredOn((record) -> record.kind().breaksTheConnection())
				.as("every breaking fault detected")
				.allMatch((record) -> record.detectedAt() != null);
			assertDetectedAs(records, FaultKind.KILL, FailureKind.CONNECTION_LOST);
			assertDetectedAs(records, FaultKind.RESET, FailureKind.CONNECTION_LOST);
			assertDetectedAs(records, FaultKind.UPGRADE_503, FailureKind.CLOSED_BY_PEER);
			assertDetectedAs(records, FaultKind.BLACKHOLE, FailureKind.HEARTBEAT_TIMEOUT);
			assertDetectedAs(records, FaultKind.FREEZE, FailureKind.HEARTBEAT_TIMEOUT);
			long bound = HEARTBEAT_INTERVAL_MILLIS + HEARTBEAT_TIMEOUT_MILLIS + DETECTION_SLACK_MILLIS;
			assertThat(records).filteredOn((record) -> record.detectedAs() == FailureKind.HEARTBEAT_TIMEOUT)
				.as("heartbeat detection within interval + timeout")
				.allMatch((record) -> record.detectionMillis() <= bound);
			assertThat(threadsAfter).as("live threads").isLessThanOrEqualTo(threadsBefore + THREAD_MARGIN);
			assertThat(heapAfter).as("heap after GC").isLessThanOrEqualTo(heapBefore + HEAP_MARGIN_BYTES);
			connection.close();
		}
		finally {
			scheduler.shutdownNow();
		}
	}

	private static ConnectionSettings settings(FaultInjectingProxy proxy) {
		return Settings.fast("soak", URI.create("ws://127.0.0.1:" + proxy.port() + "/stream"))
			.reconnect(new ReconnectSettings(Duration.ofMillis(50), Duration.ofSeconds(1), 2.0, Jitter.FULL, -1,
					Duration.ofSeconds(10)))
			.heartbeat(Settings.heartbeat(HEARTBEAT_INTERVAL_MILLIS, HEARTBEAT_TIMEOUT_MILLIS))
			.circuitBreaker(new CircuitBreakerSettings(true, 50, 5, 10, Duration.ofSeconds(2), 1))
			.resume(Settings.resumeByQuery())
			.build();
	}

	private static void assertDetectedAs(List<FaultRecord> records, FaultKind kind, FailureKind expected) {
		assertThat(records).filteredOn((record) -> record.kind() == kind)
			.as(kind + " detected as " + expected)
			.allMatch((record) -> record.detectedAs() == expected);
	}

	private static int liveThreads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	private static long heapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static long directMemory() {
		return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((pool) -> pool.getName().equals("direct"))
			.mapToLong(BufferPoolMXBean::getMemoryUsed)
			.sum();
	}

}
