package io.connectionmanager.cluster.membership;

import java.time.Duration;

/**
 * Which replicas are alive, for {@code cluster.balance}: a record per replica with a
 * time-to-live, kept in the lock store (a Redis key, or a database row). Called on the
 * lock thread only; calls may block and throw when the store is unreachable.
 */
public interface Membership {

	/** Records (or refreshes) this replica as alive for {@code ttl}. */
	void heartbeat(String replicaId, Duration ttl);

	/** The replicas alive now, this one included once it has sent a heartbeat. */
	int liveReplicas();

	/** Removes this replica's record (an orderly stop). */
	void leave(String replicaId);

}
