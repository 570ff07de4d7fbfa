package io.connectionmanager.autoconfigure;

import java.util.List;

/**
 * A connection is configured with {@code cluster.mode: exclusive} but nothing can elect
 * the replica that holds it: the {@code connection-manager-cluster} module is missing, or
 * it has no lock store. Start-up stops rather than open the connection on every replica.
 */
public class ExclusiveModeUnavailableException extends RuntimeException {

	private final List<String> connections;

	private final String action;

	/**
	 * @param connections the exclusive connections
	 * @param reason what is missing
	 * @param action what to add
	 */
	public ExclusiveModeUnavailableException(List<String> connections, String reason, String action) {
		super("Connections " + connections + " are exclusive (cluster.mode: exclusive) but " + reason);
		this.connections = List.copyOf(connections);
		this.action = action;
	}

	/** The connections configured as exclusive. */
	public List<String> getConnections() {
		return this.connections;
	}

	/** What to add so that exclusive mode works. */
	public String getAction() {
		return this.action;
	}

}
