package io.connectionmanager.autoconfigure.observation;

import io.connectionmanager.autoconfigure.observation.ConnectObservationContext.Outcome;
import io.connectionmanager.core.failure.ConnectionFailureException;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.event.StateChange;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.state.ConnectionState;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Turns one connection's transitions into observations: each connect attempt, and each
 * outage (with the attempts made during it as its children). The engine calls a listener
 * serially for its connection, in order, off the event loop, so this needs no locking and
 * never delays I/O.
 */
class ObservingConnectionListener implements ConnectionListener {

	private static final ConnectObservationConvention DEFAULT_CONNECT = new DefaultConnectObservationConvention();

	private static final OutageObservationConvention DEFAULT_OUTAGE = new DefaultOutageObservationConvention();

	private final String connection;

	private final String endpointHost;

	private final ObservationRegistry registry;

	private final ConnectObservationConvention connectConvention;

	private final OutageObservationConvention outageConvention;

	private Observation attempt;

	private ConnectObservationContext attemptContext;

	private Observation outage;

	/**
	 * @param connectConvention the application's convention, or {@code null} for the
	 * default
	 * @param outageConvention the application's convention, or {@code null} for the
	 * default
	 */
	ObservingConnectionListener(String connection, String endpointHost, ObservationRegistry registry,
			ConnectObservationConvention connectConvention, OutageObservationConvention outageConvention) {
		this.connection = connection;
		this.endpointHost = endpointHost;
		this.registry = registry;
		this.connectConvention = connectConvention;
		this.outageConvention = outageConvention;
	}

	@Override
	public void onStateChanged(StateChange change) {
		ConnectionState current = change.current();
		if (current == ConnectionState.AUTHENTICATING) {
			return; // the attempt goes on
		}
		if (current == ConnectionState.CONNECTED) {
			endAttempt(Outcome.SUCCESS, null);
			endOutage();
			return;
		}
		if (current == ConnectionState.DISCONNECTED) {
			endAttempt(Outcome.CANCELLED, change.cause());
			endOutage(); // stopped on purpose: nothing is down any more
			return;
		}
		if (current == ConnectionState.CONNECTING) {
			endAttempt(Outcome.CANCELLED, change.cause()); // a restarted attempt
		}
		else {
			endAttempt(Outcome.FAILURE, change.cause()); // RECONNECTING or FATAL
		}
		if (change.previous() == ConnectionState.CONNECTED) {
			startOutage(change.cause());
		}
		if (current == ConnectionState.CONNECTING) {
			startAttempt(change.attempt(), host(change.endpoint()));
		}
	}

	/** The host of the endpoint tried (with several urls, the one of this attempt). */
	private String host(String endpoint) {
		String host = (endpoint != null) ? java.net.URI.create(endpoint).getHost() : null;
		return (host != null) ? host : this.endpointHost;
	}

	private void startAttempt(int number, String host) {
		this.attemptContext = new ConnectObservationContext(this.connection, host, number);
		ConnectObservationContext context = this.attemptContext;
		this.attempt = Observation
			.createNotStarted(this.connectConvention, DEFAULT_CONNECT, () -> context, this.registry)
			.parentObservation(this.outage)
			.start();
	}

	private void endAttempt(Outcome outcome, Failure failure) {
		if (this.attempt == null) {
			return;
		}
		this.attemptContext.end(outcome, failure);
		if (outcome == Outcome.FAILURE && failure != null) {
			this.attempt.error(new ConnectionFailureException(failure));
		}
		this.attempt.stop();
		this.attempt = null;
		this.attemptContext = null;
	}

	private void startOutage(Failure cause) {
		endOutage();
		OutageObservationContext context = new OutageObservationContext(this.connection, this.endpointHost, cause);
		this.outage = Observation.createNotStarted(this.outageConvention, DEFAULT_OUTAGE, () -> context, this.registry)
			.start();
	}

	private void endOutage() {
		if (this.outage != null) {
			this.outage.stop();
			this.outage = null;
		}
	}

}
