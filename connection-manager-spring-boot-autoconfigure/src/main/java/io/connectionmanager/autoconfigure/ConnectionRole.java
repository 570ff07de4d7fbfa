package io.connectionmanager.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This replica's part in an exclusive connection, as health and the endpoint show it.
 *
 * @param role {@code leader} (this replica holds the role and runs the connection) or
 * {@code standby}
 * @param key the leadership role (lock key)
 * @param holder the replica that holds the role when known, else {@code null}
 * @param lockStoreReachable whether the lock store answered recently; a standby that
 * cannot see its lock store is not healthy (UNKNOWN)
 */
public record ConnectionRole(String role, String key, String holder, boolean lockStoreReachable) {

	/** The role of the replica that holds the connection. */
	public static final String LEADER = "leader";

	/** The role of a replica that waits to take the connection over. */
	public static final String STANDBY = "standby";

	public boolean isLeader() {
		return LEADER.equals(this.role);
	}

	/** {@code role}, {@code roleKey}, {@code holder} (when known), {@code lockStore}. */
	public Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("role", this.role);
		details.put("roleKey", this.key);
		if (this.holder != null) {
			details.put("holder", this.holder);
		}
		details.put("lockStore", this.lockStoreReachable ? "reachable" : "unreachable");
		return details;
	}

}
