package io.connectionmanager.autoconfigure;

/**
 * Where a connection runs when the application runs as several replicas
 * ({@code cluster.mode}).
 */
public enum ClusterMode {

	/** Every replica opens the connection (the behaviour of a single instance). */
	EVERYWHERE,

	/**
	 * Only the replica holding the connection's role ({@code cluster.role}) opens it; the
	 * others are standbys. Needs a {@link ConnectionRoles} bean (the
	 * {@code connection-manager-cluster} module with a Spring Integration
	 * {@code LockRegistry}).
	 */
	EXCLUSIVE

}
