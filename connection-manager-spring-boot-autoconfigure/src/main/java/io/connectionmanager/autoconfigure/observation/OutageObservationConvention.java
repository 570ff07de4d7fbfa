package io.connectionmanager.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for outages. Declare a bean of this type to replace
 * {@link DefaultOutageObservationConvention}.
 */
public interface OutageObservationConvention extends ObservationConvention<OutageObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof OutageObservationContext;
	}

}
