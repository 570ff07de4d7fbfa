package io.connectionmanager.autoconfigure;

import java.time.Duration;

import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;
import io.connectionmanager.core.runtime.ConnectionRuntime;

/**
 * The process-wide settings of the shared {@link ConnectionRuntime}, validated. A value
 * that is not set is left to {@link ConnectionRuntime.Builder}, the single source of its
 * default.
 *
 * @param threads event-loop threads, or {@code null}
 * @param maxConnectsInFlight concurrent connect attempts, or {@code null}
 * @param outageSummaryInterval how often an outage is summarised, or {@code null}
 * @param handlerSpin how long an idle handler thread spins, or {@code null}
 * @param loopSpin how long an idle event loop spins, or {@code null}
 */
record ConnectionRuntimeSettings(Integer threads, Integer maxConnectsInFlight, Duration outageSummaryInterval,
		Duration handlerSpin, Duration loopSpin) {

	/** A spin is a short wait: anything longer would just burn a core. */
	private static final Duration MAX_SPIN = Duration.ofMillis(10);

	/** Same bound as every other duration setting. */
	private static final Duration MAX_DURATION = Duration.ofDays(365);

	/**
	 * @throws InvalidConnectionSettingException naming the property relative to
	 * {@code connection-manager}
	 */
	ConnectionRuntimeSettings {
		atLeastOne("runtime.threads", threads);
		atLeastOne("runtime.max-connects-in-flight", maxConnectsInFlight);
		if (outageSummaryInterval != null) {
			String property = "logging.outage-summary-interval";
			if (outageSummaryInterval.isNegative() || outageSummaryInterval.isZero()) {
				throw new InvalidConnectionSettingException(property, outageSummaryInterval, Reason.NOT_POSITIVE,
						"must be positive");
			}
			if (outageSummaryInterval.compareTo(MAX_DURATION) > 0) {
				throw new InvalidConnectionSettingException(property, outageSummaryInterval, Reason.TOO_LARGE,
						"must be at most " + MAX_DURATION);
			}
		}
		spin("runtime.handler-spin", handlerSpin);
		spin("runtime.loop-spin", loopSpin);
	}

	private static void spin(String property, Duration spin) {
		if (spin != null && spin.isNegative()) {
			throw new InvalidConnectionSettingException(property, spin, Reason.NOT_POSITIVE,
					"must be zero (off) or positive");
		}
		if (spin != null && spin.compareTo(MAX_SPIN) > 0) {
			throw new InvalidConnectionSettingException(property, spin, Reason.TOO_LARGE,
					"must be at most " + MAX_SPIN + " (a spin is a short wait before parking)");
		}
	}

	static ConnectionRuntimeSettings of(ConnectionManagerProperties properties) {
		return new ConnectionRuntimeSettings(properties.runtime().threads(), properties.runtime().maxConnectsInFlight(),
				properties.logging().outageSummaryInterval(), properties.runtime().handlerSpin(),
				properties.runtime().loopSpin());
	}

	ConnectionRuntime build() {
		return builder().build();
	}

	/** A runtime builder with these settings, for more that do not come from here. */
	ConnectionRuntime.Builder builder() {
		ConnectionRuntime.Builder builder = ConnectionRuntime.builder();
		if (this.threads != null) {
			builder.threads(this.threads);
		}
		if (this.maxConnectsInFlight != null) {
			builder.maxConnectsInFlight(this.maxConnectsInFlight);
		}
		if (this.outageSummaryInterval != null) {
			builder.outageSummaryInterval(this.outageSummaryInterval);
		}
		if (this.handlerSpin != null) {
			builder.handlerSpin(this.handlerSpin);
		}
		if (this.loopSpin != null) {
			builder.loopSpin(this.loopSpin);
		}
		return builder;
	}

	private static void atLeastOne(String property, Integer value) {
		if (value != null && value < 1) {
			throw new InvalidConnectionSettingException(property, value, Reason.TOO_SMALL, "must be at least 1");
		}
	}

}
