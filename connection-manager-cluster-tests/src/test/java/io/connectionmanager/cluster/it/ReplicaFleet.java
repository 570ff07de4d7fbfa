package io.connectionmanager.cluster.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replicas of one test: started with common arguments (one exclusive connection
 * {@code feed} to the account, its positions in a shared store written through), watched
 * for the one that holds the connection, and their deliveries read back.
 */
final class ReplicaFleet implements AutoCloseable {

	static final String ACCOUNT = "account-1";

	private final Path directory;

	private final List<String> arguments;

	private final List<Replica> replicas = new ArrayList<>();

	private int started;

	/**
	 * @param directory where logs and deliveries go
	 * @param upstream the upstream the connection opens
	 * @param lease the lease of the roles
	 * @param store the lock and resume store ({@code --replica.lock-store=...} and its
	 * connection properties)
	 */
	ReplicaFleet(Path directory, AccountServer upstream, Duration lease, List<String> store) {
		this.directory = directory;
		this.arguments = new ArrayList<>(List.of("--connection-manager.cluster.lease=" + lease.toMillis() + "ms",
				"--connection-manager.connections.feed.url=" + upstream.uri(ACCOUNT),
				"--connection-manager.connections.feed.cluster.mode=exclusive",
				"--connection-manager.connections.feed.resume.enabled=true",
				"--connection-manager.connections.feed.resume.flush-interval=0",
				"--connection-manager.connections.feed.reconnect.initial-delay=100ms",
				"--connection-manager.connections.feed.reconnect.max-delay=1s"));
		this.arguments.addAll(store);
	}

	Replica start() throws IOException {
		Replica replica = Replica.start("r" + (++this.started), this.directory, this.arguments);
		this.replicas.add(replica);
		return replica;
	}

	List<Replica> replicas() {
		return this.replicas;
	}

	/**
	 * Waits until a live replica other than {@code previous} is CONNECTED, and checks it
	 * is the only one.
	 */
	Replica awaitHolder(Replica previous, Duration bound) {
		await().atMost(bound)
			.until(() -> this.replicas.stream().anyMatch((replica) -> replica != previous && replica.isConnected()));
		List<Replica> connected = this.replicas.stream().filter(Replica::isConnected).toList();
		assertThat(connected).as("replicas connected").hasSize(1);
		return connected.get(0);
	}

	/** Waits until the replica has handled more (its delivery log grew by some bytes). */
	static void awaitProgress(Replica replica, Duration bound) throws IOException {
		long before = replica.delivered();
		await().atMost(bound).until(() -> replica.delivered() > before + 400);
	}

	/** How many times each number was handled, over every replica. */
	Map<Long, Integer> deliveries() throws IOException {
		Map<Long, Integer> counts = new HashMap<>();
		for (Replica replica : this.replicas) {
			if (Files.exists(replica.deliveries())) {
				for (String line : Files.readAllLines(replica.deliveries())) {
					if (!line.isBlank()) {
						counts.merge(Long.parseLong(line.trim()), 1, Integer::sum);
					}
				}
			}
		}
		return counts;
	}

	/** The numbers up to the highest delivered that no replica handled. */
	static List<Long> lost(Map<Long, Integer> deliveries) {
		long highest = deliveries.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
		List<Long> lost = new ArrayList<>();
		for (long n = 1; n <= highest; n++) {
			if (!deliveries.containsKey(n)) {
				lost.add(n);
			}
		}
		return lost;
	}

	static long duplicates(Map<Long, Integer> deliveries) {
		return deliveries.values().stream().mapToLong((count) -> count - 1).sum();
	}

	@Override
	public void close() throws InterruptedException {
		for (Replica replica : this.replicas) {
			replica.close();
		}
	}

}
