package io.connectionmanager.autoconfigure;

import java.util.Objects;

/**
 * A connection's {@code cluster.*} keys after merging.
 *
 * @param mode where the connection runs
 * @param role the leadership role (lock key) of an exclusive connection
 * @param balance whether a replica holding more than its share of exclusive connections
 * hands the surplus over
 * @param resumeStore the configured {@code resume.store}, for the stores shared by the
 * replicas (which the core does not know)
 */
public record ClusterSettings(ClusterMode mode, String role, boolean balance, ResumeStoreType resumeStore) {

	/** Prefix of the default role: {@code connection-manager/<name>}. */
	public static final String DEFAULT_ROLE_PREFIX = "connection-manager/";

	public ClusterSettings {
		Objects.requireNonNull(mode, "mode");
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(resumeStore, "resumeStore");
	}

	/**
	 * The built-in default for a connection: everywhere, role
	 * {@code connection-manager/<name>}.
	 */
	public static ClusterSettings everywhere(String name) {
		return new ClusterSettings(ClusterMode.EVERYWHERE, DEFAULT_ROLE_PREFIX + name, false, ResumeStoreType.MEMORY);
	}

	public boolean exclusive() {
		return this.mode == ClusterMode.EXCLUSIVE;
	}

}
