package io.connectionmanager.autoconfigure.observation;

import io.connectionmanager.autoconfigure.ConnectionBuilderCustomizer;
import io.connectionmanager.core.ManagedConnectionBuilder;
import io.connectionmanager.core.config.ConnectionSettings;
import io.micrometer.observation.ObservationRegistry;

/**
 * Adds to every auto-configured connection a listener that records its connect attempts
 * and outages as Micrometer observations.
 */
public class ConnectionObservationCustomizer implements ConnectionBuilderCustomizer {

	/** The {@code endpoint.host} of a URL without a host. */
	static final String UNKNOWN_HOST = "unknown";

	private final ObservationRegistry registry;

	private final ConnectObservationConvention connectConvention;

	private final OutageObservationConvention outageConvention;

	/**
	 * @param connectConvention a convention to use instead of the default, or
	 * {@code null}
	 * @param outageConvention a convention to use instead of the default, or {@code null}
	 */
	public ConnectionObservationCustomizer(ObservationRegistry registry, ConnectObservationConvention connectConvention,
			OutageObservationConvention outageConvention) {
		this.registry = registry;
		this.connectConvention = connectConvention;
		this.outageConvention = outageConvention;
	}

	@Override
	public void customize(ConnectionSettings settings, ManagedConnectionBuilder builder) {
		builder.listener(new ObservingConnectionListener(settings.name(), endpointHost(settings), this.registry,
				this.connectConvention, this.outageConvention));
	}

	/**
	 * The URL's host only: paths and queries may carry tokens, and would multiply series.
	 */
	static String endpointHost(ConnectionSettings settings) {
		String host = (settings.url() != null) ? settings.url().getHost() : null;
		return (host != null) ? host : UNKNOWN_HOST;
	}

}
