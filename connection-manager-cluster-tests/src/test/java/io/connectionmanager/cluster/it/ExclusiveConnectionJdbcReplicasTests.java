package io.connectionmanager.cluster.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same fleet on a database: Spring Integration's {@code JdbcLockRegistry} and the
 * jdbc resume store (its table created on demand) on an H2 server in a JVM of its own.
 */
class ExclusiveConnectionJdbcReplicasTests {

	@TempDir(cleanup = CleanupMode.ON_SUCCESS) // logs kept when a test fails
	Path directory;

	private H2ServerProcess database;

	private AccountServer upstream;

	private ReplicaFleet fleet;

	@BeforeEach
	void start() throws Exception {
		this.database = H2ServerProcess.start(this.directory);
		this.database.createLockTable();
		this.upstream = new AccountServer(2);
		this.fleet = new ReplicaFleet(this.directory, this.upstream, ExclusiveConnectionReplicasTests.LEASE,
				List.of("--replica.lock-store=jdbc", "--spring.datasource.url=" + this.database.url(),
						"--spring.datasource.username=sa", "--spring.datasource.hikari.maximum-pool-size=3",
						"--connection-manager.connections.feed.resume.store=jdbc"));
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.fleet != null) {
			this.fleet.close();
		}
		if (this.upstream != null) {
			this.upstream.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void failoversOnADatabaseKeepOneSessionAtATimeAndLoseNothing() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.fleet.start();
		}
		Replica holder = this.fleet.awaitHolder(null, ExclusiveConnectionReplicasTests.START_BOUND);
		List<Long> failoverMillis = new ArrayList<>();
		for (int failover = 1; failover <= 2; failover++) {
			Replica current = holder;
			ReplicaFleet.awaitProgress(current, ExclusiveConnectionReplicasTests.FAILOVER_BOUND);
			long killedAt = System.nanoTime();
			current.kill();
			holder = this.fleet.awaitHolder(current, ExclusiveConnectionReplicasTests.FAILOVER_BOUND);
			failoverMillis.add((holder.connectedAt() - killedAt) / 1_000_000);
		}
		ReplicaFleet.awaitProgress(holder, ExclusiveConnectionReplicasTests.FAILOVER_BOUND);
		this.fleet.close();

		assertThat(this.upstream.mostOpenAtOnce(ReplicaFleet.ACCOUNT)).as("sessions of the account open at once")
			.isEqualTo(1);
		Map<Long, Integer> deliveries = this.fleet.deliveries();
		List<Long> lost = ReplicaFleet.lost(deliveries);
		long duplicates = ReplicaFleet.duplicates(deliveries);
		System.out.printf("cluster failover (jdbc): %s ms (lease %s), %d numbers delivered, %d duplicates, %d lost%n",
				failoverMillis, ExclusiveConnectionReplicasTests.LEASE, deliveries.size(), duplicates, lost.size());
		assertThat(lost).as("numbers never delivered").isEmpty();
		assertThat(duplicates).isLessThanOrEqualTo(2);
	}

}
