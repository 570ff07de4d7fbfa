package io.connectionmanager.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for connect attempts. Declare a bean of this type to
 * replace {@link DefaultConnectObservationConvention} (or extend it to add keys).
 */
public interface ConnectObservationConvention extends ObservationConvention<ConnectObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ConnectObservationContext;
	}

}
