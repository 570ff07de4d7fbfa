package io.connectionmanager.cluster.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three replicas, each a JVM of its own, one exclusive connection to an upstream that
 * counts the sessions of its account, positions in a real redis-server written through.
 * Lease 3 s (renew every 300 ms, self-fence after 1.5 s, takeover delay 750 ms); bounds
 * are generous (a loaded 2-core machine starts a Spring Boot JVM slowly), the exclusivity
 * check is exact (counted by the upstream at every session open).
 */
class ExclusiveConnectionReplicasTests {

	private static final Duration LEASE = Duration.ofSeconds(3);

	/**
	 * Bound on one failover; the expected figure is about lease + tick + delay + connect.
	 */
	private static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);

	/** Bound on JVM start-up plus the first election. */
	private static final Duration START_BOUND = Duration.ofSeconds(90);

	private static final String ACCOUNT = "account-1";

	@TempDir
	Path directory;

	private RedisServerProcess redis;

	private AccountServer upstream;

	private final List<Replica> replicas = new ArrayList<>();

	private int started;

	@BeforeEach
	void start() throws IOException {
		this.redis = RedisServerProcess.start(this.directory);
		this.upstream = new AccountServer(2);
	}

	@AfterEach
	void stop() throws InterruptedException {
		for (Replica replica : this.replicas) {
			replica.close();
		}
		if (this.upstream != null) {
			this.upstream.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void fiveFailoversKeepOneSessionAtATimeLoseNothingAndDuplicateAtMostOnePerFailover() throws Exception {
		for (int i = 0; i < 3; i++) {
			startReplica();
		}
		Replica holder = awaitHolder(null, START_BOUND);
		List<Long> failoverMillis = new ArrayList<>();
		for (int failover = 1; failover <= 5; failover++) {
			Replica current = holder;
			long before = current.delivered();
			await().atMost(FAILOVER_BOUND).until(() -> current.delivered() > before + 400);
			long killedAt = System.nanoTime();
			current.kill();
			startReplica(); // three replicas again, the new one a standby
			holder = awaitHolder(current, FAILOVER_BOUND);
			long millis = (holder.connectedAt() - killedAt) / 1_000_000;
			assertThat(millis).as("failover %d", failover).isPositive();
			failoverMillis.add(millis);
		}
		Replica last = holder;
		long before = last.delivered();
		await().atMost(FAILOVER_BOUND).until(() -> last.delivered() > before + 400);
		for (Replica replica : this.replicas) {
			replica.close();
		}

		assertThat(this.upstream.mostOpenAtOnce(ACCOUNT)).as("sessions of the account open at once").isEqualTo(1);
		Map<Long, Integer> deliveries = deliveries();
		long highest = deliveries.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
		List<Long> lost = new ArrayList<>();
		for (long n = 1; n <= highest; n++) {
			if (!deliveries.containsKey(n)) {
				lost.add(n);
			}
		}
		long duplicates = deliveries.values().stream().mapToLong((count) -> count - 1).sum();
		System.out.printf("cluster failover: %s ms (lease %s), %d numbers delivered, %d duplicates, %d lost%n",
				failoverMillis, LEASE, highest, duplicates, lost.size());
		assertThat(lost).as("numbers never delivered").isEmpty();
		assertThat(duplicates).as("numbers delivered twice (write-through: at most one per failover)")
			.isLessThanOrEqualTo(5);
		assertThat(deliveries.values()).allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(2));
	}

	@Test
	void aRestartedRedisThatLostItsLocksNeverLetsTwoReplicasHoldTheSession() throws Exception {
		for (int i = 0; i < 3; i++) {
			startReplica();
		}
		Replica holder = awaitHolder(null, START_BOUND);
		long killedAt = System.nanoTime();
		this.redis.kill();
		// No renewal can be confirmed: the holder closes by itself within lease/2 (+ a
		// tick).
		await().atMost(FAILOVER_BOUND).until(() -> !holder.isConnected());
		long fencedMillis = (holder.stateChangedAt() - killedAt) / 1_000_000;
		assertThat(this.replicas).noneMatch(Replica::isConnected);
		long restartedAt = System.nanoTime();
		this.redis.restart();
		Replica next = awaitHolder(null, FAILOVER_BOUND);
		long recoveredMillis = (next.connectedAt() - restartedAt) / 1_000_000;
		System.out.printf("cluster redis restart: holder closed %d ms after Redis died; %s connected %d ms after"
				+ " Redis was back%n", fencedMillis, next.id(), recoveredMillis);
		assertThat(next.connectedAt()).isGreaterThan(restartedAt);
		assertThat(this.upstream.mostOpenAtOnce(ACCOUNT)).as("sessions of the account open at once").isEqualTo(1);
	}

	private Replica startReplica() throws IOException {
		String id = "r" + (++this.started);
		Replica replica = Replica.start(id, this.directory,
				List.of("--spring.data.redis.port=" + this.redis.port(), "--spring.data.redis.timeout=1s",
						"--connection-manager.cluster.lease=" + LEASE.toMillis() + "ms",
						"--connection-manager.connections.feed.url=" + this.upstream.uri(ACCOUNT),
						"--connection-manager.connections.feed.cluster.mode=exclusive",
						"--connection-manager.connections.feed.resume.enabled=true",
						"--connection-manager.connections.feed.resume.store=redis",
						"--connection-manager.connections.feed.resume.flush-interval=0",
						"--connection-manager.connections.feed.reconnect.initial-delay=100ms",
						"--connection-manager.connections.feed.reconnect.max-delay=1s"));
		this.replicas.add(replica);
		return replica;
	}

	/**
	 * Waits until one live replica other than {@code previous} is CONNECTED; only one
	 * ever is.
	 */
	private Replica awaitHolder(Replica previous, Duration bound) {
		await().atMost(bound)
			.until(() -> this.replicas.stream().anyMatch((replica) -> replica != previous && replica.isConnected()));
		List<Replica> connected = this.replicas.stream().filter(Replica::isConnected).toList();
		assertThat(connected).as("replicas connected").hasSize(1);
		return connected.get(0);
	}

	/** How many times each number was handled, over every replica. */
	private Map<Long, Integer> deliveries() throws IOException {
		Map<Long, Integer> counts = new HashMap<>();
		for (Replica replica : this.replicas) {
			if (Files.exists(replica.deliveries())) {
				for (String line : Files.readAllLines(replica.deliveries())) {
					Optional.of(line.trim())
						.filter((text) -> !text.isEmpty())
						.ifPresent((text) -> counts.merge(Long.parseLong(text), 1, Integer::sum));
				}
			}
		}
		return counts;
	}

}
