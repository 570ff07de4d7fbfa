package io.connectionmanager.cluster.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.connectionmanager.test.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three replicas, each a JVM of its own, one exclusive connection to an upstream that
 * counts the sessions of its account, locks and positions (written through) in a real
 * redis-server. Lease 3 s (renew every 300 ms, self-fence after 1.5 s, takeover delay 750
 * ms); bounds are generous (a loaded 2-core machine starts a Spring Boot JVM slowly), the
 * exclusivity check is exact (counted by the upstream at every session open).
 */
class ExclusiveConnectionReplicasTests {

	static final Duration LEASE = Duration.ofSeconds(3);

	/**
	 * Bound on one failover; the expected figure is about lease + tick + delay + connect.
	 */
	static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);

	/** Bound on JVM start-up plus the first election. */
	static final Duration START_BOUND = Duration.ofSeconds(90);

	@TempDir(cleanup = CleanupMode.ON_SUCCESS) // logs kept when a test fails
	Path directory;

	private RedisServer redis;

	private AccountServer upstream;

	private ReplicaFleet fleet;

	@BeforeEach
	void start() throws IOException {
		this.redis = RedisServer.start(this.directory);
		this.upstream = new AccountServer(2);
		this.fleet = new ReplicaFleet(this.directory, this.upstream, LEASE,
				List.of("--replica.lock-store=redis", "--spring.data.redis.port=" + this.redis.port(),
						"--spring.data.redis.timeout=1s", "--connection-manager.connections.feed.resume.store=redis"));
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.fleet != null) {
			this.fleet.close();
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
			this.fleet.start();
		}
		Replica holder = this.fleet.awaitHolder(null, START_BOUND);
		List<Long> failoverMillis = new ArrayList<>();
		for (int failover = 1; failover <= 5; failover++) {
			Replica current = holder;
			ReplicaFleet.awaitProgress(current, FAILOVER_BOUND);
			long killedAt = System.nanoTime();
			current.kill();
			this.fleet.start(); // three replicas again, the new one a standby
			holder = this.fleet.awaitHolder(current, FAILOVER_BOUND);
			long millis = (holder.connectedAt() - killedAt) / 1_000_000;
			assertThat(millis).as("failover %d", failover).isPositive();
			failoverMillis.add(millis);
		}
		ReplicaFleet.awaitProgress(holder, FAILOVER_BOUND);
		this.fleet.close();

		assertThat(this.upstream.mostOpenAtOnce(ReplicaFleet.ACCOUNT)).as("sessions of the account open at once")
			.isEqualTo(1);
		Map<Long, Integer> deliveries = this.fleet.deliveries();
		List<Long> lost = ReplicaFleet.lost(deliveries);
		long duplicates = ReplicaFleet.duplicates(deliveries);
		System.out.printf("cluster failover (redis): %s ms (lease %s), %d numbers delivered, %d duplicates, %d lost%n",
				failoverMillis, LEASE, deliveries.size(), duplicates, lost.size());
		assertThat(lost).as("numbers never delivered").isEmpty();
		assertThat(duplicates).as("numbers delivered twice (write-through: at most one per failover)")
			.isLessThanOrEqualTo(5);
		assertThat(deliveries.values()).allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(2));
	}

	@Test
	void aRestartedRedisThatLostItsLocksNeverLetsTwoReplicasHoldTheSession() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.fleet.start();
		}
		Replica holder = this.fleet.awaitHolder(null, START_BOUND);
		long killedAt = System.nanoTime();
		this.redis.kill();
		// No renewal can be confirmed: the holder closes by itself within lease/2 (+ a
		// tick).
		await().atMost(FAILOVER_BOUND).until(() -> !holder.isConnected());
		long fencedMillis = (holder.stateChangedAt() - killedAt) / 1_000_000;
		assertThat(this.fleet.replicas()).noneMatch(Replica::isConnected);
		long restartedAt = System.nanoTime();
		this.redis.restart();
		Replica next = this.fleet.awaitHolder(null, FAILOVER_BOUND);
		long recoveredMillis = (next.connectedAt() - restartedAt) / 1_000_000;
		System.out.printf("cluster redis restart: holder closed %d ms after Redis died; %s connected %d ms after"
				+ " Redis was back%n", fencedMillis, next.id(), recoveredMillis);
		assertThat(next.connectedAt()).isGreaterThan(restartedAt);
		assertThat(this.upstream.mostOpenAtOnce(ReplicaFleet.ACCOUNT)).as("sessions of the account open at once")
			.isEqualTo(1);
	}

}
