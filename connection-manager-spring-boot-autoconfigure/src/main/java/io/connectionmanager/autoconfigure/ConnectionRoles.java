package io.connectionmanager.autoconfigure;

/**
 * Leadership of exclusive connections ({@code cluster.mode: exclusive}): the extension
 * point through which a cluster module tells the lifecycle, health and the endpoint which
 * replica runs which connection. The lifecycle never connects an exclusive connection
 * itself: the bean implementing this starts it once this replica holds its role, and
 * closes it (1000) when the role is lost or handed over.
 * <p>
 * Without such a bean, every connection runs everywhere, and an exclusive connection
 * stops start-up.
 */
public interface ConnectionRoles {

	/**
	 * This replica's part in the named connection, or {@code null} when the connection is
	 * not exclusive.
	 */
	ConnectionRole role(String connection);

	/**
	 * Hands the named connection's role over to another replica: closes the connection
	 * and releases the role, and does not take it back at once. No effect on a standby.
	 * @throws IllegalArgumentException when the connection is not exclusive
	 */
	void handOver(String connection);

}
