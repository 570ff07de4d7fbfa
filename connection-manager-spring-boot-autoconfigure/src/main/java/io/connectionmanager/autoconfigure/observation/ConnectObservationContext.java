package io.connectionmanager.autoconfigure.observation;

import io.connectionmanager.core.failure.Failure;
import io.micrometer.observation.Observation;

/**
 * What a {@link ConnectObservationConvention} knows about one connect attempt: set when
 * the attempt starts, completed with its outcome (and failure) when it ends.
 */
public class ConnectObservationContext extends Observation.Context {

	private final String connection;

	private final String endpointHost;

	private final int attempt;

	// Written by the connection's listener lane, read by anyone (e.g. a test or a handler
	// on
	// another thread).
	private volatile Outcome outcome = Outcome.UNKNOWN;

	private volatile Failure failure;

	public ConnectObservationContext(String connection, String endpointHost, int attempt) {
		this.connection = connection;
		this.endpointHost = endpointHost;
		this.attempt = attempt;
	}

	/** The connection's name. */
	public String getConnection() {
		return this.connection;
	}

	/** The host of the connection's URL. */
	public String getEndpointHost() {
		return this.endpointHost;
	}

	/** The attempt's number, counted since the connection was last stable. */
	public int getAttempt() {
		return this.attempt;
	}

	/** How the attempt ended; {@link Outcome#UNKNOWN} while it is under way. */
	public Outcome getOutcome() {
		return this.outcome;
	}

	/** The failure that ended the attempt, or {@code null}. */
	public Failure getFailure() {
		return this.failure;
	}

	void end(Outcome outcome, Failure failure) {
		this.outcome = outcome;
		this.failure = failure;
	}

	/** How a connect attempt ended. */
	public enum Outcome {

		/** Reached CONNECTED. */
		SUCCESS,

		/** Failed: the connection went on to RECONNECTING or FATAL. */
		FAILURE,

		/** Abandoned: the connection was disconnected, or the attempt restarted. */
		CANCELLED,

		/** Still under way. */
		UNKNOWN

	}

}
