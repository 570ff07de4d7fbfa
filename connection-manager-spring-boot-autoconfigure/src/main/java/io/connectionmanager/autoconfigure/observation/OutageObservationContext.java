package io.connectionmanager.autoconfigure.observation;

import io.connectionmanager.core.failure.Failure;
import io.micrometer.observation.Observation;

/**
 * What an {@link OutageObservationConvention} knows about one outage, all of it known
 * when the outage begins (a long task's keys are fixed at its start).
 */
public class OutageObservationContext extends Observation.Context {

	private final String connection;

	private final String endpointHost;

	private final Failure cause;

	public OutageObservationContext(String connection, String endpointHost, Failure cause) {
		this.connection = connection;
		this.endpointHost = endpointHost;
		this.cause = cause;
	}

	/** The connection's name. */
	public String getConnection() {
		return this.connection;
	}

	/** The host of the connection's URL. */
	public String getEndpointHost() {
		return this.endpointHost;
	}

	/**
	 * The failure that ended the connected period, or {@code null} (e.g. a reconnect the
	 * application asked for).
	 */
	public Failure getCause() {
		return this.cause;
	}

}
