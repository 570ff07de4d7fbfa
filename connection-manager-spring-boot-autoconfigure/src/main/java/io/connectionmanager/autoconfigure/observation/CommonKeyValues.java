package io.connectionmanager.autoconfigure.observation;

import io.connectionmanager.autoconfigure.observation.ConnectionObservationDocumentation.CommonKeys;
import io.connectionmanager.core.failure.Failure;
import io.micrometer.common.KeyValues;

/**
 * The low-cardinality keys every connection observation has: {@code connection},
 * {@code endpoint.host} and {@code failure.kind} ({@code NONE} without a failure).
 */
final class CommonKeyValues {

	/** The value of {@code failure.kind} when there was no failure. */
	static final String NONE = "NONE";

	private CommonKeyValues() {
	}

	static KeyValues of(String connection, String endpointHost, Failure failure) {
		return KeyValues.of(CommonKeys.CONNECTION.withValue(connection),
				CommonKeys.ENDPOINT_HOST.withValue(endpointHost),
				CommonKeys.FAILURE_KIND.withValue((failure != null) ? failure.kind().name() : NONE));
	}

}
