package io.connectionmanager.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.connectionmanager.cluster.membership.Membership;

/**
 * {@code cluster.balance}: this replica's record in the {@link Membership} (refreshed
 * once a tick, with a TTL of one lease), the number of live replicas, and this replica's
 * share of the balanced connections, {@code ceil(balanced connections / live replicas)}.
 * On the lock thread, except {@link #describe}.
 */
final class Balance {

	private final Membership membership;

	private final Set<String> balanced;

	private final String replicaId;

	private final LockStore store;

	private volatile int liveReplicas = 1;

	Balance(Membership membership, Set<String> balanced, String replicaId, LockStore store) {
		this.membership = membership;
		this.balanced = Set.copyOf(balanced);
		this.replicaId = replicaId;
		this.store = store;
	}

	boolean isActive() {
		return this.membership != null && !this.balanced.isEmpty();
	}

	boolean isBalanced(String connection) {
		return this.balanced.contains(connection);
	}

	/** Refreshes this replica's record and counts the live ones; false on failure. */
	boolean refresh(Duration lease) {
		try {
			this.membership.heartbeat(this.replicaId, lease);
			this.liveReplicas = Math.max(1, this.membership.liveReplicas());
		}
		catch (RuntimeException ex) {
			this.store.failed(ex);
			return false;
		}
		this.store.answered();
		return true;
	}

	/** Whether this replica may take one more balanced connection. */
	boolean mayTakeMore(Collection<Leadership> leaderships) {
		return held(leaderships).size() < share();
	}

	/** The balanced connections held beyond this replica's share, newest last. */
	List<Leadership> surplus(Collection<Leadership> leaderships) {
		List<Leadership> held = held(leaderships);
		int surplus = held.size() - share();
		return (surplus > 0) ? held.subList(held.size() - surplus, held.size()) : List.of();
	}

	String describe() {
		return "share " + share() + " of " + this.balanced.size() + " on " + this.liveReplicas + " replicas";
	}

	/** Leaves the membership (stopping); a failure is left to the record's TTL. */
	void leave() {
		if (isActive()) {
			try {
				this.membership.leave(this.replicaId);
			}
			catch (RuntimeException ex) {
				// its record expires with its TTL
			}
		}
	}

	private int share() {
		int live = this.liveReplicas;
		return (this.balanced.size() + live - 1) / live;
	}

	private List<Leadership> held(Collection<Leadership> leaderships) {
		return leaderships.stream()
			.filter((leadership) -> this.balanced.contains(leadership.name()) && leadership.isLeader())
			.toList();
	}

}
