package io.connectionmanager.autoconfigure.observation;

import io.micrometer.common.KeyValues;

/**
 * The default {@link OutageObservationConvention}: observation
 * {@code connection.manager.outage}, span {@code outage <connection>}, low-cardinality
 * keys {@code connection}, {@code endpoint.host} and {@code failure.kind} (what ended the
 * connected period).
 */
public class DefaultOutageObservationConvention implements OutageObservationConvention {

	/** The observation's name. */
	public static final String NAME = "connection.manager.outage";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(OutageObservationContext context) {
		return "outage " + context.getConnection();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(OutageObservationContext context) {
		return CommonKeyValues.of(context.getConnection(), context.getEndpointHost(), context.getCause());
	}

}
