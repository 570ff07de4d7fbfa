package io.connectionmanager.cluster.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.connectionmanager.test.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cluster.balance}: twelve exclusive connections on three replicas settle at four
 * each, and at six each on the two left when one is killed; never two sessions of one
 * account at once.
 */
class BalancedReplicasTests {

	private static final int CONNECTIONS = 12;

	private static final Duration SETTLE_BOUND = Duration.ofSeconds(30);

	@TempDir(cleanup = CleanupMode.ON_SUCCESS) // logs kept when a test fails
	Path directory;

	private RedisServer redis;

	private AccountServer upstream;

	private final List<Replica> replicas = new ArrayList<>();

	@BeforeEach
	void start() throws Exception {
		this.redis = RedisServer.start(this.directory);
		this.upstream = new AccountServer(50);
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
	void twelveConnectionsSettleFourFourFourThenSixSixWhenAReplicaDies() throws Exception {
		List<String> arguments = new ArrayList<>(List.of("--replica.lock-store=redis",
				"--spring.data.redis.port=" + this.redis.port(), "--spring.data.redis.timeout=1s",
				"--connection-manager.cluster.lease=" + ExclusiveConnectionReplicasTests.LEASE.toMillis() + "ms"));
		for (int i = 0; i < CONNECTIONS; i++) {
			String connection = "--connection-manager.connections.c" + i;
			arguments.add(connection + ".url=" + this.upstream.uri("account-" + i));
			arguments.add(connection + ".cluster.mode=exclusive");
			arguments.add(connection + ".cluster.balance=true");
		}
		long startedAt = System.nanoTime();
		for (int i = 1; i <= 3; i++) {
			this.replicas.add(Replica.start("r" + i, this.directory, arguments));
		}
		await().atMost(ExclusiveConnectionReplicasTests.START_BOUND)
			.until(() -> this.replicas.stream().allMatch((replica) -> replica.connectedCount() == 4));
		long settledAt = System.nanoTime();

		Replica victim = this.replicas.get(0);
		long killedAt = System.nanoTime();
		victim.kill();
		await().atMost(SETTLE_BOUND)
			.until(() -> this.replicas.stream()
				.filter((replica) -> replica != victim)
				.allMatch((replica) -> replica.connectedCount() == 6));
		long resettledMillis = (System.nanoTime() - killedAt) / 1_000_000;
		System.out.printf(
				"cluster balance: 4/4/4 %d ms after the three JVMs were launched, then 6/6 %d ms after a"
						+ " replica was killed (lease %s)%n",
				(settledAt - startedAt) / 1_000_000, resettledMillis, ExclusiveConnectionReplicasTests.LEASE);
		assertThat(settledAt).isLessThan(killedAt);
		for (int i = 0; i < CONNECTIONS; i++) {
			assertThat(this.upstream.mostOpenAtOnce("account-" + i)).as("sessions of account-%d open at once", i)
				.isEqualTo(1);
		}
	}

}
