package io.connectionmanager.autoconfigure.observation;

import io.connectionmanager.autoconfigure.observation.ConnectionObservationDocumentation.ConnectHighCardinalityKeys;
import io.connectionmanager.autoconfigure.observation.ConnectionObservationDocumentation.ConnectKeys;
import io.micrometer.common.KeyValues;

/**
 * The default {@link ConnectObservationConvention}: observation
 * {@code connection.manager.connect}, span {@code connect <connection>}, low-cardinality
 * keys {@code connection}, {@code endpoint.host}, {@code outcome} and
 * {@code failure.kind}.
 */
public class DefaultConnectObservationConvention implements ConnectObservationConvention {

	/** The observation's name. */
	public static final String NAME = "connection.manager.connect";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ConnectObservationContext context) {
		return "connect " + context.getConnection();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ConnectObservationContext context) {
		return CommonKeyValues.of(context.getConnection(), context.getEndpointHost(), context.getFailure())
			.and(ConnectKeys.OUTCOME.withValue(context.getOutcome().name()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ConnectObservationContext context) {
		return KeyValues.of(ConnectHighCardinalityKeys.ATTEMPT.withValue(Integer.toString(context.getAttempt())));
	}

}
